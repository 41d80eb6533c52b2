{{%AUTOESCAPE context="HTML"}}<h1>[[Elections]]</h1>
{{#NONE}}<p class="muted">[[No elections have been published yet.]]</p>{{/NONE}}
{{#GROUP}}<section class="group group-{{KEY}}" id="{{KEY}}">
<h2>{{TITLE}} <span class="muted count">({{COUNT}})</span></h2>
{{#EMPTY}}<p class="muted none">[[None.]]</p>{{/EMPTY}}
<ul class="elections">
{{#ELECTION}}<li class="election phase-{{PHASE}}" data-id="{{ID}}">
<div class="summary"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi>{{#ORG}} <bdi class="org muted">{{ORGANIZATION}}</bdi>{{/ORG}}
{{! Badges for the signed-in visitor. ELIGIBLE / NOT_ELIGIBLE / OFFICER come from the snapshot; VOTED is for the voting code (it needs the store). }}
<span class="badges">{{#ELIGIBLE}}<span class="badge ok">[[eligible]]</span>{{/ELIGIBLE}}{{#NOT_ELIGIBLE}}<span class="badge">[[not on the voter list]]</span>{{/NOT_ELIGIBLE}}{{#OFFICER}}<span class="badge info">[[officer]]</span>{{/OFFICER}}{{#VOTED}}<span class="badge ok">[[voted]]</span>{{/VOTED}}</span>
<div class="dates muted"><time datetime="{{START_ISO}}">{{START}}</time> – <time datetime="{{END_ISO}}">{{END}}</time> · <span class="when">{{WHEN}}</span></div></div>
{{#CHILDREN}}<details class="children"{{#OPEN}} open{{/OPEN}}>
<summary>{{SUMMARY}}</summary>
<ul>
{{#CHILD}}<li class="election child phase-{{PHASE}}" data-id="{{ID}}"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span>
<span class="badges">{{#CHILD_ELIGIBLE}}<span class="badge ok">[[eligible]]</span>{{/CHILD_ELIGIBLE}}{{#CHILD_OFFICER}}<span class="badge info">[[officer]]</span>{{/CHILD_OFFICER}}{{#CHILD_VOTED}}<span class="badge ok">[[voted]]</span>{{/CHILD_VOTED}}</span>
<div class="dates muted"><time datetime="{{START_ISO}}">{{START}}</time> – <time datetime="{{END_ISO}}">{{END}}</time> · <span class="when">{{WHEN}}</span></div></li>
{{/CHILD}}</ul>
</details>{{/CHILDREN}}
</li>
{{/ELECTION}}</ul>
</section>
{{/GROUP}}
