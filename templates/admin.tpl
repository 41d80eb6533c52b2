{{%AUTOESCAPE context="HTML"}}<article class="admin" data-id="{{ID}}">
<p class="breadcrumb"><bdi><a class="election" href="{{URL}}">{{NAME}}</a></bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span> · {{WHEN}}</p>
<h1>[[Officers' page]]</h1>
<p class="muted">[[<bdi>Signed in as <strong>{{LOGIN}}</strong></bdi>, an officer of this election.]] [[Everything about the election itself (dates, candidates, voters, officers) is changed in its git repository, not here.]]</p>

<section class="turnout" id="turnout">
<h2>[[Turnout]]</h2>
{{#PER_CHILD}}<p class="muted">[[Voters vote in the children of this election; turnout is per child.]]</p>{{/PER_CHILD}}
<table class="turnout">
<thead><tr><th scope="col">[[Election]]</th><th scope="col">[[Eligible voters]]</th><th scope="col">[[Voted]]</th><th scope="col">[[Turnout]]</th></tr></thead>
<tbody>
{{#TURNOUT}}<tr class="turnout-row" data-id="{{EID}}"><th scope="row" dir="auto"><a href="{{URL}}">{{NAME}}</a></th><td class="eligible">{{ELIGIBLE}}</td><td class="voted">{{VOTED}}</td><td class="percent">{{PERCENT}}</td></tr>
{{/TURNOUT}}</tbody>
</table>
<h3>[[Who has voted, who has not yet]]</h3>
<p class="muted">[[Turnout is public information; how anyone voted is not, and urna cannot tell.]]</p>
{{#TURNOUT}}{{#CHILD_HEADING}}<h4 dir="auto" data-id="{{EID}}">{{NAME}}</h4>{{/CHILD_HEADING}}
<div class="who">
<div class="voted-list" data-id="{{EID}}"><p class="list-title"><strong>[[Voted]]</strong> <span class="muted">({{VOTED}})</span></p>
{{#NOBODY_YET}}<p class="muted">[[Nobody has voted yet.]]</p>{{/NOBODY_YET}}
<ul class="voters">{{#VOTER}}<li class="login">{{LOGIN}}</li>{{/VOTER}}</ul></div>
<div class="not-voted-list" data-id="{{EID}}"><p class="list-title"><strong>[[Not voted yet]]</strong> <span class="muted">({{NOT_VOTED}})</span></p>
{{#EVERYONE_VOTED}}<p class="muted">[[Everyone on the list has voted.]]</p>{{/EVERYONE_VOTED}}
<ul class="voters">{{#NOT_VOTER}}<li class="login">{{LOGIN}}</li>{{/NOT_VOTER}}</ul></div>
</div>
{{/TURNOUT}}</section>

{{#EXCEPTIONS}}<section class="exceptions" id="exceptions">
<h2>[[Exception requests]] <span class="muted">({{COUNT}})</span></h2>
{{#NOT_OFFERED}}<p class="muted requests-not-offered">[[This election takes no exception requests: it has no <code>exception_description</code>.]]</p>{{/NOT_OFFERED}}
{{#TAKING_REQUESTS}}<p class="requests-open">[[Requests are accepted until <time datetime="{{DUE_ISO}}">{{DUE}}</time>.]]</p>{{/TAKING_REQUESTS}}
{{#REQUESTS_CLOSED}}<p class="muted requests-closed">[[Requests closed on <time datetime="{{DUE_ISO}}">{{DUE}}</time>.]]</p>{{/REQUESTS_CLOSED}}
{{#NO_REQUESTS}}<p class="muted">[[No requests.]]</p>{{/NO_REQUESTS}}
{{#REQUEST}}<div class="exception-request {{#REVIEWED}}reviewed{{/REVIEWED}}{{#PENDING}}pending{{/PENDING}}" data-rid="{{RID}}">
<h3><bdi><span class="login">{{LOGIN}}</span></bdi> — <bdi>{{NAME}}</bdi> {{#REVIEWED}}<span class="badge ok">[[reviewed]]</span>{{/REVIEWED}}{{#PENDING}}<span class="badge warn">[[to review]]</span>{{/PENDING}}</h3>
<dl class="facts">
<dt>[[Sent]]</dt><dd><time datetime="{{CREATED_ISO}}">{{CREATED}}</time></dd>
<dt>[[Contact]]</dt><dd dir="auto" class="contact">{{CONTACT}}</dd>
<dt>[[Reason]]</dt><dd class="reason pre">{{REASON:pre_escape}}</dd>
<dt>[[Comments]]</dt><dd class="comments pre">{{COMMENTS:pre_escape}}{{#NO_COMMENTS}}<span class="muted">[[none]]</span>{{/NO_COMMENTS}}</dd>
</dl>
<form method="post" action="{{ACTION}}" class="review">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="action" value="review">
<input type="hidden" name="request" value="{{RID}}">
<input type="hidden" name="reviewed" value="{{SET_TO}}">
<button type="submit" class="secondary">{{BUTTON}}</button>
</form>
<p class="muted">[[To let this person vote, add <bdi><code>{{LOGIN}}</code></bdi> to the voter list in git.]]</p>
</div>
{{/REQUEST}}</section>{{/EXCEPTIONS}}

{{#BALLOT_KEYS}}<section class="ballot-keys" id="ballot-keys">
<h2>[[Ballot key]]</h2>
<p class="muted">[[Ballots are sealed to this public key before they are stored; only the counting host's private key (urna-tally's key_dir) opens them.]]</p>
<ul>{{#KEY}}<li class="ballot-key" data-id="{{EID}}"><bdi>{{NAME}}</bdi>: {{#HAS_KEY}}<code class="fingerprint">{{FINGERPRINT}}</code> <span class="muted">({{SOURCE}})</span>{{/HAS_KEY}}{{#NO_KEY}}[[<span class="badge bad">no key</span> the booth does not open: publish a key made with <code>urna-tally --keygen</code> as <code>ballot_key:</code> in election.yaml, or ask the site's administrator for a default in urna.conf.]]{{/NO_KEY}}</li>{{/KEY}}</ul>
</section>{{/BALLOT_KEYS}}

{{#SYNC}}<section class="sync" id="sync">
<h2>[[Election data (git sync)]]</h2>
<dl class="facts">
<dt>[[Live commit]]</dt><dd><code class="live-commit">{{LIVE_COMMIT}}</code></dd>
<dt>[[Last sync run]]</dt><dd>{{LAST_RUN}}</dd>
<dt>[[Last successful sync]]</dt><dd>{{LAST_OK}}</dd>
{{#REQUESTED}}<dt>[[Sync requested (webhook)]]</dt><dd>{{AT}}</dd>{{/REQUESTED}}
</dl>
{{#NO_ERROR}}<p class="sync-ok">[[<span class="badge ok">ok</span> The last sync succeeded.]]</p>{{/NO_ERROR}}
{{#LAST_ERROR}}<div class="notice bad sync-error"><p>[[The last sync failed at {{AT}}{{#ERROR_COMMIT}} (commit <code>{{COMMIT}}</code>){{/ERROR_COMMIT}}; the live data above stays in use until the repository is fixed:]]</p>
<pre class="errors">{{TEXT:pre_escape}}</pre></div>{{/LAST_ERROR}}
{{#WARNINGS}}<div class="notice warn sync-warnings" id="warnings"><p>[[<strong>Warnings in the live data of this election: {{COUNT}}.</strong> It runs as the warnings say; fix them in git (<code>urna-sync --check --strict</code> fails on them, for pull-request CI):]]</p>
<ul class="warnings">{{#WARNING}}<li class="warning" data-election="{{EID}}"><code>{{TEXT}}</code></li>{{/WARNING}}</ul></div>{{/WARNINGS}}
{{#NO_WARNINGS}}<p class="sync-no-warnings muted">[[No warnings about this election's files.]]</p>{{/NO_WARNINGS}}
</section>{{/SYNC}}

{{#RESULTS}}<section class="results-controls" id="results">
<h2>[[Results]]</h2>
<p class="muted">{{RESULTS_VISIBILITY}}</p>
<ul class="results-list">
{{#RESULT}}<li class="result" data-id="{{EID}}"><bdi>{{NAME}}</bdi>:
{{#STORED}}<a class="results-link" href="{{RESULTS_URL}}">[[Results]]</a> [[(counted <time datetime="{{TALLIED_ISO}}">{{TALLIED}}</time>, {{BALLOTS}})]] · [[downloads:]] <a class="download csv" href="{{CSV_URL}}">[[ballots (CSV)]]</a>{{#BLT}}, <a class="download blt" href="{{BLT_URL}}">[[ballots (BLT)]]</a>{{/BLT}}{{/STORED}}
{{#NOT_COUNTED}}<span class="muted">[[voting has closed; the results appear here once <code>urna-tally</code> has counted the ballots.]]</span>{{/NOT_COUNTED}}
{{#NOT_CLOSED}}<span class="muted">[[the results appear here after voting closes and <code>urna-tally</code> counts the ballots.]]</span>{{/NOT_CLOSED}}</li>
{{/RESULT}}</ul>
</section>{{/RESULTS}}
</article>
