{{%AUTOESCAPE context="HTML"}}<article class="view-ballot" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi></p>
<h1>{{#ONE}}[[Your ballot]]{{/ONE}}{{#MANY}}[[Your ballots]]{{/MANY}}</h1>
{{#MESSAGE}}<p class="notice bad" role="alert">{{TEXT}}</p>{{/MESSAGE}}
{{#ASK}}<form method="post" action="{{ACTION}}" class="view-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p>[[Your ballot is stored without your name; only the passcode you chose when you voted opens it.]]</p>
{{#ASK_PROCESS}}<p>[[One passcode opens your ballots in every election of this process that you voted in with it.]]</p>{{/ASK_PROCESS}}
<p><label for="passcode">[[Passcode]]</label>
<input type="password" name="passcode" id="passcode" required autocomplete="off" spellcheck="false" class="passcode">
<button type="submit">[[Show my ballot]]</button></p>
</form>{{/ASK}}
{{#SHOWN}}<section class="stored">
{{#BLOCK}}<section class="stored-election" data-id="{{BID}}">
{{#BLOCK_NAME}}<h2><bdi>{{BNAME}}</bdi></h2>
{{/BLOCK_NAME}}{{#BLOCK_STATUS}}<p class="notice not-shown">{{BSTATUS}}</p>
{{/BLOCK_STATUS}}{{#QUESTION}}<section class="question" data-qid="{{QID}}">
{{#QH2}}<h2 dir="auto">{{QTITLE}}</h2>{{/QH2}}{{#QH3}}<h3 dir="auto">{{QTITLE}}</h3>{{/QH3}}
{{#NOT_STORED}}<p class="muted">[[Your ballot has no answer for this question.]]</p>{{/NOT_STORED}}
{{#BLANK}}<p class="muted">[[You left this question blank.]]</p>{{/BLANK}}
{{#RANKING}}<ul class="stored-ranking">
{{#GROUP}}<li class="rank-group" data-rank="{{RANK}}"><span class="rank">{{RANK}}</span> — {{#MEMBER}}<bdi data-aid="{{AID}}" data-rank="{{RANK}}">{{ANSWER}}</bdi>{{#MEMBER_separator}}, {{/MEMBER_separator}}{{/MEMBER}}{{#TIED}} <span class="tied">[[(tied)]]</span>{{/TIED}}</li>
{{/GROUP}}</ul>{{/RANKING}}
{{#CHOSEN}}<ul class="stored-choices">
{{#CHOSEN_ROW}}<li data-aid="{{AID}}" data-rank="1"><bdi>{{ANSWER}}</bdi></li>
{{/CHOSEN_ROW}}</ul>{{/CHOSEN}}
{{#UNRANKED}}<p class="muted">[[No opinion:]] {{#REST}}<bdi>{{ANSWER}}</bdi>{{#REST_separator}}, {{/REST_separator}}{{/REST}}</p>{{/UNRANKED}}
{{#NOT_CHOSEN}}<p class="muted">[[Not chosen:]] {{#REST}}<bdi>{{ANSWER}}</bdi>{{#REST_separator}}, {{/REST_separator}}{{/REST}}</p>{{/NOT_CHOSEN}}
</section>
{{/QUESTION}}{{#RECEIPT}}<p class="receipt">[[Your receipt code: <code class="receipt-code">{{RECEIPT_CODE}}</code>. After the election, find this code's ballot in the published ballot list to check that your ballot was counted as you cast it.]]</p>
{{/RECEIPT}}{{#CHANGE}}<form method="post" action="{{CHANGE_ACTION}}" class="change-form">
<input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="passcode" value="{{PASSCODE}}"><input type="hidden" name="action" value="change">
<p><button type="submit" class="change">[[Change my ballot]]</button> <span class="muted">[[until voting closes at <time datetime="{{END_ISO}}">{{END}}</time>; the booth opens with this ballot filled in.]]</span></p>
</form>
{{/CHANGE}}</section>
{{/BLOCK}}</section>{{/SHOWN}}
<p><a href="{{URL}}">[[Back to the election]]</a></p>
</article>
