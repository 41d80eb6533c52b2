{{%AUTOESCAPE context="HTML"}}<article class="exception-request" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a class="election" href="{{URL}}">{{NAME}}</a></bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span></p>
<h1>[[Request an exception]]</h1>
{{#DESCRIPTION}}<section class="exception-description"><p class="pre">{{TEXT:pre_escape}}</p></section>{{/DESCRIPTION}}
{{#ELIGIBILITY}}<p class="muted">[[Who can vote: <span class="pre">{{TEXT:pre_escape}}</span>]]</p>{{/ELIGIBILITY}}

{{#SENT}}<div class="notice ok request-sent" role="status">
<p>[[You asked for an exception on <time datetime="{{CREATED_ISO}}">{{CREATED}}</time>. The election officers will review it{{#REVIEWED}} — <strong>they have reviewed it</strong>{{/REVIEWED}}. You can send only one request per election.]]</p>
</div>{{/SENT}}
{{#ELIGIBLE}}<div class="notice ok already-eligible" role="status"><p>[[You are already on the voter list of this election: you do not need an exception.]]</p></div>{{/ELIGIBLE}}
{{#CLOSED}}<div class="notice bad requests-closed" role="status"><p>[[Exception requests for this election closed on <time datetime="{{DUE_ISO}}">{{DUE}}</time>.]]</p></div>{{/CLOSED}}
{{#NOT_OFFERED}}<div class="notice bad requests-closed" role="status"><p>[[This election does not take exception requests.]]</p></div>{{/NOT_OFFERED}}

{{#FORM}}<p><bdi>[[Signed in as <strong>{{LOGIN}}</strong>]]</bdi>. [[Requests are accepted until <time datetime="{{DUE_ISO}}">{{DUE}}</time> and only the officers of this election can read them. You can send one request.]]</p>
{{#ERRORS}}<div class="notice bad form-errors" role="alert"><p>[[Please correct the following:]]</p>
<ul>{{#ERROR}}<li>{{TEXT}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="{{ACTION}}" class="exception-form">
<input type="hidden" name="csrf" value="{{CSRF}}">
<p><label for="x-name">[[Your name]]</label><br>
<input id="x-name" name="name" value="{{F_NAME}}" maxlength="{{MAX_NAME}}" required></p>
<p><label for="x-contact">[[How to contact you (e-mail, chat handle…)]]</label><br>
<input id="x-contact" name="contact" value="{{F_CONTACT}}" maxlength="{{MAX_CONTACT}}" required></p>
<p><label for="x-reason">[[Why should you be able to vote?]]</label><br>
<textarea id="x-reason" name="reason" rows="6" cols="60" maxlength="{{MAX_TEXT}}" required>{{F_REASON}}</textarea></p>
<p><label for="x-comments">[[Anything else (optional)]]</label><br>
<textarea id="x-comments" name="comments" rows="3" cols="60" maxlength="{{MAX_TEXT}}">{{F_COMMENTS}}</textarea></p>
<p><button type="submit">[[Send the request]]</button></p>
</form>{{/FORM}}
<p><a href="{{URL}}">[[Back to <bdi>{{NAME}}</bdi>]]</a></p>
</article>
