{{%AUTOESCAPE context="HTML"}}<article class="booth phase-{{PHASE}}" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi>{{#IN_PARENT}} · [[part of <bdi><a href="{{PARENT_VOTE_URL}}">{{PARENT_NAME}}</a></bdi>]]{{/IN_PARENT}}</p>
<h1>[[Vote: <bdi>{{NAME}}</bdi>]]</h1>
<p class="muted">[[Voting closes at <time datetime="{{END_ISO}}">{{END}}</time> ({{WHEN}}).]]</p>
{{#NOTICE}}<p class="notice ok">{{NOTICE_TEXT}}</p>
{{/NOTICE}}{{#ERRORS}}<div class="notice bad errors" role="alert" tabindex="-1" autofocus><p><strong>[[Your ballot was not stored.]]</strong></p>
<ul>{{#ERROR}}<li>{{#ERROR_LINK}}<a href="#{{QANCHOR}}">{{MESSAGE}}</a>{{/ERROR_LINK}}{{#ERROR_TEXT}}{{MESSAGE}}{{/ERROR_TEXT}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
{{#PARENT_BOOTH}}<section class="children-booth">
<p>[[You vote in these elections, one after the other, in this order. You can stop after any of them and come back later.]]</p>
<ol class="steps">
{{#STEP}}<li class="step"><bdi><a href="{{STEP_URL}}">{{STEP_NAME}}</a></bdi>
{{#STEP_VOTED}}<span class="badge ok">[[voted]]</span>{{/STEP_VOTED}}{{#STEP_TODO}}<span class="badge">[[not voted yet]]</span>{{/STEP_TODO}}{{#STEP_CLOSED}}<span class="badge">[[not open]]</span>{{/STEP_CLOSED}}</li>
{{/STEP}}</ol>
{{#VIEW_ALL}}<p class="muted">[[<a href="{{VIEW_URL}}">View my ballots</a> (one passcode opens every ballot you cast with it).]]</p>{{/VIEW_ALL}}
{{#START}}<form method="post" action="{{START_ACTION}}" class="start-form" id="start">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="step" value="start">
{{#NEW_PASSCODE}}<fieldset class="passcode">
<legend>[[Your passcode for this process]]</legend>
<p>[[One passcode is used for your ballots in all of these elections; it goes with you from page to page.]]</p>
<p>[[<strong>Write this passcode down (or type your own of at least {{MIN_LENGTH}} characters) before you start.</strong>
Without it your vote cannot be viewed or changed later: urna does not keep it, and nobody can recover it for you.]]</p>
<label for="passcode">[[Passcode]]</label>
<input type="text" name="passcode" id="passcode" value="{{PASSCODE}}" minlength="{{MIN_LENGTH}}" required autocomplete="off" spellcheck="false" class="passcode">
<button type="button" class="copy" data-copy-target="passcode" data-text-copied="[[Copied.]]" data-text-copy-failed="[[Copying did not work: select the passcode and copy it yourself.]]" hidden>[[Copy]]</button>
<input type="hidden" name="passcode_sig" value="{{PASSCODE_SIG}}">
<p class="confirm"><input type="checkbox" name="passcode_saved" id="passcode_saved" value="yes" required{{#SAVED}} checked{{/SAVED}}> <label for="passcode_saved">[[I have written this passcode down]]</label></p>
</fieldset>{{/NEW_PASSCODE}}
{{#RESUME}}<fieldset class="passcode">
<legend>[[Your passcode for this process]]</legend>
<p>[[You have already voted in some of these elections. Enter the passcode you used there, so that the rest of your ballots get the same one.]]</p>
<label for="passcode">[[Your passcode]]</label>
<input type="password" name="passcode" id="passcode" required autocomplete="off" spellcheck="false" class="passcode">
</fieldset>{{/RESUME}}
<p><button type="submit" class="button next">[[Continue: vote in <bdi>{{NEXT_NAME}}</bdi>]]</button></p>
</form>{{/START}}
{{#ALL_DONE}}<p class="notice ok">[[You have voted in all of your elections of this process. You can still change a ballot until voting closes.]]</p>{{/ALL_DONE}}
</section>{{/PARENT_BOOTH}}
{{#BOOTH}}<form method="post" action="{{ACTION}}" class="booth-form" id="booth">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="submission" value="{{SUBMISSION}}">
<input type="hidden" name="pad" value="" data-pad-to="{{PAD_TO}}">
<div class="booth-texts" hidden data-text-ranked-title="[[Your ranking (first choice at the top)]]" data-text-pool-title="[[Not ranked (no opinion)]]" data-text-pool-title-all="[[Not ranked yet (rank everyone)]]" data-text-ranked-empty="[[Drag candidates here, your first choice at the top.]]" data-text-pool-empty="[[Everyone is ranked.]]" data-text-moved-rank="[[{name}: rank {rank} of {n}]]" data-text-moved-none="[[{name}: no opinion]]" data-text-moved-unranked="[[{name}: not ranked yet]]" data-text-handle-label="[[Move {name} (arrow keys up and down)]]" data-text-local-time="[[({time} your time)]]"></div>
<p class="booth-status visually-hidden" role="status" aria-live="polite"></p>
{{#QUESTION}}<fieldset class="question" data-qid="{{QID}}" data-method="{{METHOD_ID}}" id="{{QANCHOR}}">
<legend><bdi>{{QTITLE}}</bdi></legend>
<p class="muted method">{{METHOD}}</p>
{{#QDESC}}<div class="markdown">{{QDESC_HTML:none}}</div>{{/QDESC}}
{{#QERROR}}<p class="field-error" role="alert">{{QMESSAGE}}</p>{{/QERROR}}
{{#RANKED}}<p class="help">[[Give <strong>1</strong> to your first choice, <strong>2</strong> to your next, and so on, up to {{N}}. Equal numbers mean you have no preference between those candidates.]]
{{#NO_OPINION_HELP}}[[Leave <em>no opinion</em> for anyone you do not want to rank; they count below everyone you ranked.]]{{/NO_OPINION_HELP}}{{#NO_OPINION_HELP_PAIRWISE}}[[Leave <em>no opinion</em> for anyone you do not want to rank; your ballot then says nothing about them: they are not compared with anyone on it.]]{{/NO_OPINION_HELP_PAIRWISE}}{{#RANK_ALL_HELP}}[[This election asks you to rank every candidate.]]{{/RANK_ALL_HELP}}
<span class="js-only">[[You can also drag the rows by their handle to order them.]]</span></p>
<ol class="ranking" data-n="{{N}}">
{{#ROW}}<li class="rank-row" data-aid="{{AID}}"><span class="handle" aria-hidden="true" title="[[Drag to reorder]]">&#x2630;</span>
<label for="{{FID}}" class="answer"><bdi>{{ANSWER}}</bdi></label>{{#ABOUT}} <a class="about muted" href="{{ABOUT_URL}}">[[about]]</a>{{/ABOUT}}
<select name="{{FIELD}}" id="{{FID}}" class="rank"{{#REQUIRED}} required{{/REQUIRED}}>{{#OPT}}<option value="{{V}}"{{#SEL}} selected{{/SEL}}>{{L}}</option>{{/OPT}}</select></li>
{{/ROW}}</ol>{{/RANKED}}
{{#PICK_ONE}}<p class="help">[[Choose one answer.]]</p>
<ul class="choices">
{{#CHOICE}}<li class="choice" data-aid="{{AID}}"><input type="radio" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}"><bdi>{{ANSWER}}</bdi></label>{{#CHOICE_ABOUT}} <a class="about muted" href="{{ABOUT_URL}}">[[about]]</a>{{/CHOICE_ABOUT}}</li>
{{/CHOICE}}{{#BLANK_CHOICE}}<li class="choice blank"><input type="radio" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}" class="muted">[[No answer (leave this question blank)]]</label></li>
{{/BLANK_CHOICE}}</ul>{{/PICK_ONE}}
{{#PICK_MANY}}<p class="help">{{HELP}}</p>
<ul class="choices" data-max="{{MAX}}">
{{#CHOICE}}<li class="choice" data-aid="{{AID}}"><input type="checkbox" name="{{FIELD}}" id="{{FID}}" value="{{PVALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <label for="{{FID}}"><bdi>{{ANSWER}}</bdi></label>{{#CHOICE_ABOUT}} <a class="about muted" href="{{ABOUT_URL}}">[[about]]</a>{{/CHOICE_ABOUT}}</li>
{{/CHOICE}}</ul>{{/PICK_MANY}}
</fieldset>
{{/QUESTION}}
{{#NEW_PASSCODE}}<fieldset class="passcode">
<legend>[[Your passcode]]</legend>
<p>[[<strong>Write this passcode down (or type your own of at least {{MIN_LENGTH}} characters) before you submit.</strong>
Without it your vote cannot be viewed or changed later: urna does not keep it, and nobody can recover it for you.]]</p>
<label for="passcode">[[Passcode]]</label>
<input type="text" name="passcode" id="passcode" value="{{PASSCODE}}" minlength="{{MIN_LENGTH}}" required autocomplete="off" spellcheck="false" class="passcode">
<button type="button" class="copy" data-copy-target="passcode" data-text-copied="[[Copied.]]" data-text-copy-failed="[[Copying did not work: select the passcode and copy it yourself.]]" hidden>[[Copy]]</button>
<input type="hidden" name="passcode_sig" value="{{PASSCODE_SIG}}">
<p class="confirm"><input type="checkbox" name="passcode_saved" id="passcode_saved" value="yes" required{{#SAVED}} checked{{/SAVED}}> <label for="passcode_saved">[[I have written this passcode down]]</label></p>
{{#USE_PROCESS}}<p class="muted">[[You have voted in another election of this process. To keep one passcode for all of them, <a href="{{PARENT_VOTE_URL}}">continue from the process's voting page</a> instead.]]</p>{{/USE_PROCESS}}
</fieldset>{{/NEW_PASSCODE}}
{{#CARRIED}}<fieldset class="passcode carried">
<legend>[[Your passcode]]</legend>
<p>[[This ballot gets the passcode you wrote down when you started voting in <bdi>{{PARENT_NAME}}</bdi>. It goes with this page only; urna does not keep it.]]</p>
<input type="hidden" name="passcode" value="{{PASSCODE}}"><input type="hidden" name="passcode_sig" value="{{PASSCODE_SIG}}"><input type="hidden" name="passcode_saved" value="yes"><input type="hidden" name="carry" value="process">
</fieldset>{{/CARRIED}}
{{#RECAST}}<fieldset class="passcode">
<legend>[[Change your ballot]]</legend>
<p class="notice">[[You have already voted. Submitting this ballot replaces the one you cast, if you enter the passcode you chose then. A lost passcode means your first ballot stands.]]</p>
<label for="passcode">[[Your passcode]]</label>
<input type="password" name="passcode" id="passcode" value="{{PASSCODE}}" required autocomplete="off" spellcheck="false" class="passcode">
{{#RECAST_CARRY}}<input type="hidden" name="carry" value="process">{{/RECAST_CARRY}}
<p class="muted"><a href="{{BALLOT_URL}}">[[View the ballot you cast]]</a></p>
</fieldset>{{/RECAST}}
{{#RECEIPTS}}<p class="muted">[[When you vote, a receipt code is sealed with your ballot: <em>View my ballot</em> shows it (with your passcode). With it you can find your (anonymous) ballot in the published ballot list once the election is over.]]</p>{{/RECEIPTS}}
<p><button type="submit" class="cast">[[Cast my ballot]]</button></p>
</form>
<script src="{{STATIC}}/booth.js" defer></script>{{/BOOTH}}
</article>
