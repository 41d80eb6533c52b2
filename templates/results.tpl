{{%AUTOESCAPE context="HTML"}}<link rel="stylesheet" href="{{STATIC}}/results.css">
<article class="results" data-id="{{ID}}">
{{#PARENT}}<p class="breadcrumb">Part of <bdi><a class="parent" href="{{PARENT_URL}}">{{PARENT_NAME}}</a></bdi></p>{{/PARENT}}
<h1>Results: <bdi><a href="{{ELECTION_URL}}">{{NAME}}</a></bdi></h1>
{{#ORG}}<p dir="auto" class="org muted">{{ORGANIZATION}}</p>{{/ORG}}
{{#OFFICERS_ONLY}}<p class="banner officers-only" role="note">Only the election officers can see these results for now. They become public when results.md is published in the election's repository.</p>{{/OFFICERS_ONLY}}

{{#CHOOSER}}<nav class="chooser" aria-label="Results of this process">
{{#OPTION}}{{#CURRENT}}<bdi><strong class="current">{{LABEL}}</strong></bdi>{{/CURRENT}}{{#LINK}}<bdi><a href="{{HREF}}">{{LABEL}}</a></bdi>{{/LINK}}{{#OPTION_separator}} · {{/OPTION_separator}}{{/OPTION}}
</nav>{{/CHOOSER}}

<dl class="facts turnout">
<dt>Voting closed</dt><dd><time datetime="{{END_ISO}}">{{END}}</time></dd>
{{#PARENT_TURNOUT}}<dt>Voters on the list</dt><dd class="voters">{{VOTERS}}</dd>
<dt>Ballots they may cast</dt><dd class="eligible">{{ELIGIBLE}} <span class="muted">(one per voter and child)</span></dd>
<dt>Ballots cast</dt><dd class="cast">{{CAST}} <span class="muted">(in all children)</span></dd>{{/PARENT_TURNOUT}}
{{#SINGLE_TURNOUT}}<dt>Eligible voters</dt><dd class="eligible">{{ELIGIBLE}}</dd>
<dt>Ballots cast</dt><dd class="cast">{{CAST}}</dd>{{/SINGLE_TURNOUT}}
<dt>Turnout</dt><dd class="turnout-percent">{{TURNOUT}}</dd>
<dt>Counted</dt><dd><time datetime="{{TALLIED_AT_ISO}}">{{TALLIED_AT}}</time> <span class="muted">(definition at commit <code>{{COMMIT}}</code>)</span></dd>
</dl>
{{#CONSOLIDATED}}<p class="muted">Consolidated result: the ballots of the children added up as the process's result pipes say. Choose a child above for its own result.</p>{{/CONSOLIDATED}}
{{#LINKS_ERASED}}<p class="muted">As this election asked (delete_after), the sealed links between voters and their ballots were erased when the results were stored.</p>{{/LINKS_ERASED}}
{{#NO_QUESTIONS}}<p class="muted">There is nothing to show: no question was counted.</p>{{/NO_QUESTIONS}}
{{#ELECTION_NOTE}}<p dir="auto" class="note">{{TEXT}}</p>{{/ELECTION_NOTE}}

{{#QUESTION}}<section class="question-result" data-id="{{QID}}" data-method="{{METHOD_ID}}">
<h2>{{TITLE}}</h2>
<p class="muted">{{METHOD}}{{#SEATS_LINE}} · {{SEATS}} seat(s){{/SEATS_LINE}}</p>
<p class="winners"><strong>{{WINNERS_LABEL}}</strong> <bdi class="winner-names">{{WINNERS}}</bdi></p>
{{#TIE}}<p class="banner tie" role="note"><strong>Tie:</strong> <bdi class="tied-names">{{TIED}}</bdi> are tied for {{TIE_SEATS}}.{{#TIE_OPEN}} No tie-break is configured: the officers decide.{{/TIE_OPEN}}{{#TIE_BROKEN}} Broken by the configured tie-break: {{TIE_BREAK}}.{{/TIE_BROKEN}}</p>{{/TIE}}

<table class="ranking">
<thead><tr><th>Rank</th><th>Answer</th><th></th></tr></thead>
<tbody>
{{#RANK}}<tr class="rank" data-id="{{AID}}"><td class="position">{{POSITION}}</td><td dir="auto" class="name">{{NAME}}</td><td>{{#WINNER}}<span class="badge ok">{{WIN_WORD}}</span>{{/WINNER}} {{#TIED}}<span class="badge warn">tied</span>{{/TIED}} {{#SCORE}}<span class="score">{{VALUE}}</span>{{/SCORE}}</td></tr>
{{/RANK}}</tbody>
</table>

{{#CHART}}<figure class="chart">{{SVG:none}}</figure>{{/CHART}}

{{#MATRIX}}<h3>Pairwise preferences</h3>
<p class="muted">Each cell: ballots preferring the row's answer to the column's. Green: the row wins the pair; red: it loses.</p>
<div class="scroll"><table class="matrix">
<thead><tr><th></th>{{#COL}}<th scope="col" dir="auto">{{NAME}}</th>{{/COL}}</tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row" dir="auto">{{NAME}}</th>{{#CELL}}<td class="{{CLASS}}" title="{{TITLE}}">{{VALUE}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table></div>{{/MATRIX}}

{{#ROUNDS}}<h3>Rounds</h3>
{{#QUOTA}}<p class="muted">Quota: {{VALUE}}</p>{{/QUOTA}}
<div class="scroll"><table class="rounds">
<thead><tr><th>Round</th>{{#COL}}<th scope="col">{{NAME}}</th>{{/COL}}<th>Exhausted</th><th>What happened</th></tr></thead>
<tbody>
{{#ROUND}}<tr><td>{{N}}</td>{{#CELL}}<td class="{{CLASS}}">{{VALUE}}</td>{{/CELL}}<td>{{EXHAUSTED}}</td><td>{{ACTION}}</td></tr>
{{/ROUND}}</tbody>
</table></div>{{/ROUNDS}}

<h3>Ballots</h3>
<dl class="facts ballots">
<dt>Cast</dt><dd class="q-cast">{{CAST}}</dd>
<dt>Valid</dt><dd class="q-valid">{{VALID}}</dd>
<dt>Blank</dt><dd class="q-blank">{{BLANK}}</dd>
<dt>Invalid</dt><dd class="q-invalid">{{INVALID}}</dd>
</dl>
{{#REASON}}<p class="invalid-reason">{{COUNT}} invalid: {{WHY}}</p>
{{/REASON}}{{#NOTE}}<p class="note">{{TEXT}}</p>
{{/NOTE}}</section>
{{/QUESTION}}

{{#EXPORT}}<section class="export">
<h2>Anonymized ballots</h2>
<p>Every ballot, shuffled, with no voter attached{{#OFFICERS_ONLY_EXPORT}} (visible to the officers only){{/OFFICERS_ONLY_EXPORT}}: <a class="csv" href="{{CSV_URL}}">ballots.csv</a> (Elekto's format){{#BLT}}, <a class="blt" href="{{BLT_URL}}">ballots.blt</a>{{/BLT}}.</p>
</section>{{/EXPORT}}

{{#DRAFT}}<section class="results-draft">
<h2>Draft of results.md <span class="muted">(officers only)</span></h2>
<p class="muted">{{#NOT_PUBLISHED}}Review it, then commit it as <code>results.md</code> in the election's folder to publish the results. {{/NOT_PUBLISHED}}Generated by urna-tally from the count above.</p>
<details><summary>Show the Markdown</summary><pre class="markdown-source">{{MARKDOWN}}</pre></details>
</section>{{/DRAFT}}

{{#PUBLISHED}}<section class="published-results">
<h2>Published results</h2>
<div class="markdown">{{RESULTS_HTML:none}}</div>
</section>{{/PUBLISHED}}
</article>
