{{%AUTOESCAPE context="HTML"}}<h1>Elections</h1>
{{#NONE}}<p class="muted">No elections have been published yet.</p>{{/NONE}}
<h2>Running</h2>
<ul class="elections">{{#RUNNING}}<li><a href="{{PREFIX}}/elections/{{ID}}">{{NAME}}</a> <span class="muted">until {{END}}</span></li>{{/RUNNING}}</ul>
<h2>Upcoming</h2>
<ul class="elections">{{#UPCOMING}}<li><a href="{{PREFIX}}/elections/{{ID}}">{{NAME}}</a> <span class="muted">from {{START}}</span></li>{{/UPCOMING}}</ul>
<h2>Completed</h2>
<ul class="elections">{{#COMPLETED}}<li><a href="{{PREFIX}}/elections/{{ID}}">{{NAME}}</a> <span class="muted">ended {{END}}</span></li>{{/COMPLETED}}</ul>
