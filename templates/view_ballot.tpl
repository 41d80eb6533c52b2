{{%AUTOESCAPE context="HTML"}}<article class="view-ballot" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi></p>
<h1>Your ballot</h1>
{{#MESSAGE}}<p class="notice bad" role="alert">{{TEXT}}</p>{{/MESSAGE}}
{{#ASK}}<form method="post" action="{{ACTION}}" class="view-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p>Your ballot is stored without your name; only the passcode you chose when you voted opens it.</p>
<p><label for="passcode">Passcode</label>
<input type="password" name="passcode" id="passcode" required autocomplete="off" spellcheck="false" class="passcode">
<button type="submit">Show my ballot</button></p>
</form>{{/ASK}}
{{#SHOWN}}<section class="stored">
{{#QUESTION}}<section class="question" data-qid="{{QID}}">
<h2 dir="auto">{{QTITLE}}</h2>
{{#NOT_STORED}}<p class="muted">Your ballot has no answer for this question.</p>{{/NOT_STORED}}
{{#BLANK}}<p class="muted">You left this question blank.</p>{{/BLANK}}
<ol class="stored-ranking">
{{#RANKED_ROW}}<li data-aid="{{AID}}" data-rank="{{RANK}}"><span class="rank">{{RANK}}</span> <bdi>{{ANSWER}}</bdi></li>
{{/RANKED_ROW}}{{#CHOSEN_ROW}}<li data-aid="{{AID}}" data-rank="{{RANK}}"><bdi>{{ANSWER}}</bdi></li>
{{/CHOSEN_ROW}}</ol>
{{#UNRANKED}}<p class="muted">No opinion: {{#REST}}<bdi>{{ANSWER}}</bdi>{{#REST_separator}}, {{/REST_separator}}{{/REST}}</p>{{/UNRANKED}}
{{#NOT_CHOSEN}}<p class="muted">Not chosen: {{#REST}}<bdi>{{ANSWER}}</bdi>{{#REST_separator}}, {{/REST_separator}}{{/REST}}</p>{{/NOT_CHOSEN}}
</section>
{{/QUESTION}}
{{#CHANGE}}<form method="post" action="{{ACTION}}" class="change-form">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="passcode" value="{{PASSCODE}}"><input type="hidden" name="action" value="change">
<p><button type="submit" class="change">Change my ballot</button> <span class="muted">until voting closes at <time datetime="{{END_ISO}}">{{END}}</time>; the booth opens with this ballot filled in.</span></p>
</form>{{/CHANGE}}
</section>{{/SHOWN}}
<p><a href="{{URL}}">Back to the election</a></p>
</article>
