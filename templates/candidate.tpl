{{%AUTOESCAPE context="HTML"}}<article class="candidate" data-id="{{CID}}">
<p class="breadcrumb">[[Candidate in <bdi><a class="election" href="{{URL}}">{{NAME}}</a></bdi>]] <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span></p>
<h1 dir="auto">{{CANDIDATE_NAME}}</h1>
<dl class="facts fields">
{{#FIELD}}<dt dir="auto">{{KEY}}</dt><dd dir="auto">{{#LINK}}<a href="{{VALUE}}" rel="nofollow noopener">{{VALUE}}</a>{{/LINK}}{{#TEXT}}{{VALUE}}{{/TEXT}}</dd>
{{/FIELD}}</dl>
<section class="bio markdown">
{{BIO:none}}
{{#NO_BIO}}<p class="muted">[[This candidate has not written a statement.]]</p>{{/NO_BIO}}
</section>
<p><a href="{{URL}}">[[Back to <bdi>{{NAME}}</bdi>]]</a></p>
</article>
