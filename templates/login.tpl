{{%AUTOESCAPE context="HTML"}}<section class="login">
<h1>[[Sign in]]</h1>
{{#FAILED}}<div class="notice bad sign-in-failed" role="alert">
<p>{{MESSAGE}}</p>
</div>
<p><a class="button" href="{{RETRY_URL}}">[[Sign in again]]</a> <a class="button secondary" href="{{PREFIX}}/">[[Back to the elections]]</a></p>{{/FAILED}}
{{#DEMO_FORM}}<div class="notice bad demo-login" role="note"><p>[[<strong>Demo login — not for real elections.</strong> Anyone can sign in as any of the example voters and officers below, without a password.]]</p></div>
{{#NO_VOTERS}}<p class="muted">[[The current election data names no voters or officers yet.]]</p>{{/NO_VOTERS}}
<form method="post" action="{{ACTION}}" class="demo-voters">
<input type="hidden" name="csrf" value="{{TOKEN}}">
<ul class="demo-voters" aria-label="[[Example logins]]">
{{#VOTER}}<li><button type="submit" class="secondary" name="login" value="{{LOGIN}}" dir="auto" aria-describedby="demo-role-{{N}}">{{LOGIN}}</button>
<ul class="demo-roles muted" id="demo-role-{{N}}">
{{#OFFICER}}<li class="role-officer">[[Election officer of {{#ELECTION}}{{NAME}}{{#ELECTION_separator}}, {{/ELECTION_separator}}{{/ELECTION}}]]</li>
{{/OFFICER}}{{#VOTES}}<li class="role-voter">[[Voter in {{ELECTION}}]] {{#RUNNING}}[[(voting now)]]{{/RUNNING}}{{#UPCOMING}}[[(not open yet)]]{{/UPCOMING}}{{#CLOSED}}[[(closed)]]{{/CLOSED}}</li>
{{/VOTES}}{{#VOTES_ALL_PARTS}}<li class="role-voter all-parts">[[Voter in every part of {{PARENT}}: {{#PART}}{{NAME}}{{#PART_separator}}, {{/PART_separator}}{{/PART}}]] {{#RUNNING}}[[(voting now)]]{{/RUNNING}}{{#UPCOMING}}[[(not open yet)]]{{/UPCOMING}}{{#CLOSED}}[[(closed)]]{{/CLOSED}}</li>
{{/VOTES_ALL_PARTS}}{{#VOTES_SOME_PARTS}}<li class="role-voter some-parts">[[Voter in {{PARENT}}, only in: {{#PART}}{{NAME}}{{#PART_separator}}, {{/PART_separator}}{{/PART}}]] {{#RUNNING}}[[(voting now)]]{{/RUNNING}}{{#UPCOMING}}[[(not open yet)]]{{/UPCOMING}}{{#CLOSED}}[[(closed)]]{{/CLOSED}}</li>
{{/VOTES_SOME_PARTS}}{{#VOTES_NOWHERE}}<li class="role-none">[[Not on any voter list: may not vote, may ask for an exception]]</li>
{{/VOTES_NOWHERE}}</ul></li>
{{/VOTER}}</ul>
</form>{{/DEMO_FORM}}
</section>
