{{%AUTOESCAPE context="HTML"}}<section class="error">
<h1>{{STATUS}} {{STATUS_TEXT}}</h1>
<p>{{MESSAGE}}</p>
<p class="muted">[[Request id: <code>{{REQUEST_ID}}</code>]]</p>
<p><a href="{{PREFIX}}/">[[Back to the elections]]</a></p>
</section>
