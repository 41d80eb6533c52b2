{{%AUTOESCAPE context="HTML"}}<article class="booth phase-{{PHASE}}" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi>{{#IN_PARENT}} · part of <bdi><a href="{{PARENT_VOTE_URL}}">{{PARENT_NAME}}</a></bdi>{{/IN_PARENT}}</p>
<h1>Vote: <bdi>{{NAME}}</bdi></h1>
<p class="muted">Voting closes at <time datetime="{{END_ISO}}">{{END}}</time> ({{WHEN}}).</p>
{{#PARENT_BOOTH}}<section class="children-booth">
<p>You vote in these elections, one after the other, in this order. You can stop after any of them and come back later.</p>
<ol class="steps">
{{#STEP}}<li class="step"><bdi><a href="{{STEP_URL}}">{{STEP_NAME}}</a></bdi>
{{#STEP_VOTED}}<span class="badge ok">voted</span>{{/STEP_VOTED}}{{#STEP_TODO}}<span class="badge">not voted yet</span>{{/STEP_TODO}}{{#STEP_CLOSED}}<span class="badge">not open</span>{{/STEP_CLOSED}}</li>
{{/STEP}}</ol>
{{#NEXT}}<p><a class="button next" href="{{NEXT_URL}}">Continue: vote in <bdi>{{NEXT_NAME}}</bdi></a></p>{{/NEXT}}
{{#ALL_DONE}}<p class="notice ok">You have voted in all of your elections of this process. You can still change a ballot until voting closes.</p>{{/ALL_DONE}}
</section>{{/PARENT_BOOTH}}
{{#ERRORS}}<div class="notice bad errors" role="alert"><p><strong>Your ballot was not stored.</strong></p>
<ul>{{#ERROR}}<li>{{MESSAGE}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
{{#BOOTH}}<form method="post" action="{{ACTION}}" class="booth-form" id="booth">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="pad" value="" data-pad-to="{{PAD_TO}}">
{{#QUESTION}}<fieldset class="question" data-qid="{{QID}}" data-method="{{METHOD_ID}}">
<legend><bdi>{{QTITLE}}</bdi></legend>
<p class="muted method">{{METHOD}}</p>
{{#QDESC}}<div class="markdown">{{QDESC_HTML:none}}</div>{{/QDESC}}
{{#QERROR}}<p class="field-error" role="alert">{{QMESSAGE}}</p>{{/QERROR}}
{{#RANKED}}<p class="help">Give <strong>1</strong> to your first choice, <strong>2</strong> to your next, and so on, up to {{N}}. Equal numbers mean you have no preference between those candidates.
{{#NO_OPINION_HELP}}Leave <em>no opinion</em> for anyone you do not want to rank; they count below everyone you ranked.{{/NO_OPINION_HELP}}{{#NO_OPINION_HELP_PAIRWISE}}Leave <em>no opinion</em> for anyone you do not want to rank; your ballot then says nothing about them: they are not compared with anyone on it.{{/NO_OPINION_HELP_PAIRWISE}}{{#RANK_ALL_HELP}}This election asks you to rank every candidate.{{/RANK_ALL_HELP}}
<span class="js-only">You can also drag the rows by their handle to order them.</span></p>
<ol class="ranking" data-n="{{N}}">
{{#ROW}}<li class="rank-row" data-aid="{{AID}}"><span class="handle" aria-hidden="true" title="Drag to reorder">&#x2630;</span>
<label for="{{FID}}" class="answer"><bdi>{{ANSWER}}</bdi></label>{{#ABOUT}} <a class="about muted" href="{{ABOUT_URL}}" target="_blank" rel="noopener">about</a>{{/ABOUT}}
<select name="{{FIELD}}" id="{{FID}}" class="rank"{{#REQUIRED}} required{{/REQUIRED}}>{{#OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{L}}</option>{{/OPT}}</select></li>
{{/ROW}}</ol>{{/RANKED}}
{{#PICK_ONE}}<p class="help">Choose one answer.</p>
<ul class="choices">
{{#CHOICE}}<li class="choice" data-aid="{{AID}}"><input type="radio" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}"><bdi>{{ANSWER}}</bdi></label>{{#CHOICE_ABOUT}} <a class="about muted" href="{{ABOUT_URL}}" target="_blank" rel="noopener">about</a>{{/CHOICE_ABOUT}}</li>
{{/CHOICE}}{{#BLANK_CHOICE}}<li class="choice blank"><input type="radio" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}" class="muted">No answer (leave this question blank)</label></li>
{{/BLANK_CHOICE}}</ul>{{/PICK_ONE}}
{{#PICK_MANY}}<p class="help">Choose up to {{MAX}}{{#HAS_MIN}} and at least {{MIN}}{{/HAS_MIN}}.</p>
<ul class="choices" data-max="{{MAX}}">
{{#CHOICE}}<li class="choice" data-aid="{{AID}}"><input type="checkbox" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}"><bdi>{{ANSWER}}</bdi></label>{{#CHOICE_ABOUT}} <a class="about muted" href="{{ABOUT_URL}}" target="_blank" rel="noopener">about</a>{{/CHOICE_ABOUT}}</li>
{{/CHOICE}}</ul>{{/PICK_MANY}}
</fieldset>
{{/QUESTION}}
{{#NEW_PASSCODE}}<fieldset class="passcode">
<legend>Your passcode</legend>
<p><strong>Write this passcode down (or type your own of at least {{MIN_LENGTH}} characters) before you submit.</strong>
Without it your vote cannot be viewed or changed later: urna does not keep it, and nobody can recover it for you.</p>
<label for="passcode">Passcode</label>
<input type="text" name="passcode" id="passcode" value="{{PASSCODE}}" minlength="{{MIN_LENGTH}}" required autocomplete="off" spellcheck="false" class="passcode">
<input type="hidden" name="passcode_sig" value="{{PASSCODE_SIG}}">
</fieldset>{{/NEW_PASSCODE}}
{{#RECAST}}<fieldset class="passcode">
<legend>Change your ballot</legend>
<p class="notice">You have already voted. Submitting this ballot replaces the one you cast, if you enter the passcode you chose then. A lost passcode means your first ballot stands.</p>
<label for="passcode">Your passcode</label>
<input type="password" name="passcode" id="passcode" value="{{PASSCODE}}" required autocomplete="off" spellcheck="false" class="passcode">
<p class="muted"><a href="{{BALLOT_URL}}">View the ballot you cast</a></p>
</fieldset>{{/RECAST}}
{{#RECEIPTS}}<p class="muted">After you vote you get a receipt code: with it you can find your (anonymous) ballot in the published ballot list once the election is over.</p>{{/RECEIPTS}}
<p><button type="submit" class="cast">Cast my ballot</button></p>
</form>
<script src="{{STATIC}}/booth.js" defer></script>{{/BOOTH}}
</article>
