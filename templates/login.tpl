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
<ul class="demo-voters">
{{#VOTER}}<li><button type="submit" class="secondary" name="login" value="{{LOGIN}}" dir="auto">{{LOGIN}}</button></li>
{{/VOTER}}</ul>
</form>{{/DEMO_FORM}}
</section>
