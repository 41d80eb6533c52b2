{{%AUTOESCAPE context="HTML"}}<article class="voted" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a href="{{URL}}">{{NAME}}</a></bdi></p>
<h1>{{#FIRST}}Your ballot is cast{{/FIRST}}{{#RECAST}}Your ballot is changed{{/RECAST}} <span class="badge ok">voted</span></h1>
<p class="notice ok">{{#FIRST}}Thank you for voting in <bdi>{{NAME}}</bdi>. Your ballot is stored without your name on it.{{/FIRST}}{{#RECAST}}Your new ballot replaced the one you cast before.{{/RECAST}}
You can change it until voting closes at <time datetime="{{END_ISO}}">{{END}}</time>.</p>
{{#FIRST}}<section class="passcode">
<h2>Your passcode</h2>
<p><code class="passcode">{{PASSCODE}}</code></p>
<p>Keep it somewhere safe. You need it to view or change your ballot; urna does not keep it, and without it nobody can open your ballot, not even the officers.</p>
</section>{{/FIRST}}
{{#RECEIPT}}<section class="receipt">
<h2>Your receipt</h2>
<p><code class="receipt-code">{{RECEIPT_CODE}}</code></p>
<p>After the election, find this code's ballot in the published ballot list to check that your ballot was counted as you cast it. The code does not show who you are.</p>
</section>{{/RECEIPT}}
{{#IN_PARENT}}<section class="next">
{{#NEXT}}<p><a class="button next" href="{{NEXT_URL}}">Next: vote in <bdi>{{NEXT_NAME}}</bdi></a></p>{{/NEXT}}
{{#ALL_DONE}}<p>You have voted in all of your elections of <a href="{{PARENT_URL}}">{{PARENT_NAME}}</a>.</p>{{/ALL_DONE}}
</section>{{/IN_PARENT}}
<nav class="actions">
<a class="button secondary" href="{{BALLOT_URL}}">View my ballot</a>
<a class="button secondary" href="{{URL}}">Back to the election</a>
</nav>
</article>
