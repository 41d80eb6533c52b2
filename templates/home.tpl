{{%AUTOESCAPE context="HTML"}}<h1>[[Elections]]</h1>
{{#NONE}}<p class="muted">[[No elections have been published yet.]]</p>{{/NONE}}
{{#GROUP}}<section class="group group-{{KEY}}" id="{{KEY}}" aria-labelledby="{{KEY}}-title">
<h2 id="{{KEY}}-title"><span class="badge phase {{KEY}}">{{TITLE}}</span> <span class="muted count">({{COUNT}})</span></h2>
{{#EMPTY}}<p class="muted none">[[None.]]</p>{{/EMPTY}}
<ul class="elections">
{{#ELECTION}}<li class="election phase-{{PHASE}}" data-id="{{ID}}">
<div class="summary"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi>{{#ORG}} <bdi class="org muted">{{ORGANIZATION}}</bdi>{{/ORG}}
{{! The signed-in visitor's standing: one badge (voted, else eligible or not eligible) and officer; each with its own colour and icon (urna.css, "Statuses"). }}
<span class="badges">{{#VOTED}}<span class="badge status voted">[[voted]]</span>{{/VOTED}}{{#ELIGIBLE}}<span class="badge status eligible">[[eligible]]</span>{{/ELIGIBLE}}{{#NOT_ELIGIBLE}}<span class="badge status not-eligible">[[not eligible]]</span>{{/NOT_ELIGIBLE}}{{#OFFICER}}<span class="badge status officer">[[officer]]</span>{{/OFFICER}}</span>
<div class="dates muted"><time datetime="{{START_ISO}}">{{START}}</time> – <time datetime="{{END_ISO}}">{{END}}</time> · <span class="when">{{WHEN}}</span></div></div>
{{#CHILDREN}}<details class="children"{{#OPEN}} open{{/OPEN}}>
<summary>{{SUMMARY}}</summary>
<ul>
{{#CHILD}}<li class="election child phase-{{PHASE}}" data-id="{{ID}}"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span>
<span class="badges">{{#CHILD_VOTED}}<span class="badge status voted">[[voted]]</span>{{/CHILD_VOTED}}{{#CHILD_ELIGIBLE}}<span class="badge status eligible">[[eligible]]</span>{{/CHILD_ELIGIBLE}}{{#CHILD_OFFICER}}<span class="badge status officer">[[officer]]</span>{{/CHILD_OFFICER}}</span>
<div class="dates muted"><time datetime="{{START_ISO}}">{{START}}</time> – <time datetime="{{END_ISO}}">{{END}}</time> · <span class="when">{{WHEN}}</span></div></li>
{{/CHILD}}</ul>
</details>{{/CHILDREN}}
</li>
{{/ELECTION}}</ul>
</section>
{{/GROUP}}
