{{%AUTOESCAPE context="HTML"}}<article class="voted" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi></p>
{{#STORED}}<h1>{{#FIRST}}[[Your ballot is cast]]{{/FIRST}}{{#CHANGED}}[[Your ballot is changed]]{{/CHANGED}}{{#AGAIN}}[[Your ballot is stored]]{{/AGAIN}} <span class="badge ok">[[voted]]</span></h1>
{{#AGAIN}}<p class="notice">[[That booth page had already been sent, so nothing was stored a second time: your ballot is the one stored when the page was first sent. If you changed anything on it afterwards, open the booth again to change your ballot.]]</p>{{/AGAIN}}
<p class="notice ok">{{#FIRST}}[[Thank you for voting in <bdi>{{NAME}}</bdi>.]] {{/FIRST}}{{#CHANGED}}[[Your new ballot replaced the one you cast before.]] {{/CHANGED}}[[Your ballot is stored without your name on it; only your passcode opens it.]]
{{#CHANGEABLE}}[[You can change it until voting closes at <time datetime="{{END_ISO}}">{{END}}</time>.]]{{/CHANGEABLE}}</p>
{{#RECEIPTS}}<section class="receipt">
<h2>[[Your receipt]]</h2>
<p>[[Your receipt code is sealed with your ballot, so that only your passcode shows it: open <a href="{{BALLOT_URL}}">View my ballot</a> to see it. After the election, find that code's ballot in the published ballot list to check that your ballot was counted as you cast it. The code does not show who you are.]]</p>
</section>{{/RECEIPTS}}
{{#IN_PARENT}}<section class="next">
{{#NEXT}}<p><a class="button next" href="{{PARENT_URL}}">[[Next: vote in <bdi>{{NEXT_NAME}}</bdi>]]</a></p>{{/NEXT}}
{{#ALL_DONE}}<p>[[You have voted in all of your elections of <a href="{{PARENT_URL}}">{{PARENT_NAME}}</a>.]]</p>{{/ALL_DONE}}
</section>{{/IN_PARENT}}
<nav class="actions" aria-label="[[Your ballot]]">
<a class="button secondary" href="{{BALLOT_URL}}">[[View my ballot]]</a>
{{#CHANGEABLE}}<a class="button secondary" href="{{BOOTH_URL}}">[[Change my ballot]]</a>{{/CHANGEABLE}}
<a class="button secondary" href="{{URL}}">[[Back to the election]]</a>
</nav>{{/STORED}}
{{#PROCESS}}<h1>[[Your ballots]]</h1>
{{#AGAIN}}<p class="notice">[[That booth page had already been sent, so nothing was stored a second time.]]</p>{{/AGAIN}}
{{#ALL_DONE}}<p class="notice ok">[[You have voted in all of your elections of <bdi>{{NAME}}</bdi>. Each ballot is stored without your name on it; your passcode opens them all.]]</p>{{/ALL_DONE}}
<ul class="steps">
{{#STEP}}<li class="step"><bdi><a href="{{STEP_URL}}">{{STEP_NAME}}</a></bdi> {{#STEP_VOTED}}<span class="badge ok">[[voted]]</span>{{/STEP_VOTED}}{{#STEP_TODO}}<span class="badge">[[not voted yet]]</span>{{/STEP_TODO}}</li>
{{/STEP}}</ul>
{{#CONTINUE}}<p><a class="button next" href="{{BOOTH_URL}}">[[Continue voting]]</a></p>{{/CONTINUE}}
<nav class="actions" aria-label="[[Your ballots]]">
<a class="button secondary" href="{{BALLOT_URL}}">[[View my ballots]]</a>
<a class="button secondary" href="{{URL}}">[[Back to the process]]</a>
</nav>{{/PROCESS}}
{{#NOT_VOTED}}<h1>[[Not voted yet]]</h1>
<p>[[You have not voted in <bdi>{{NAME}}</bdi> yet.]]</p>
<p><a class="button" href="{{BOOTH_URL}}">[[Open the booth]]</a> <a class="button secondary" href="{{URL}}">[[Back to the election]]</a></p>{{/NOT_VOTED}}
</article>
