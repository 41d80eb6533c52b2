{{%AUTOESCAPE context="HTML"}}<link rel="stylesheet" href="{{STATIC}}/results.css">
<article class="results" data-id="{{ID}}">
{{#PARENT}}<p class="breadcrumb">[[Part of <bdi><a class="parent" href="{{PARENT_URL}}">{{PARENT_NAME}}</a></bdi>]]</p>{{/PARENT}}
<h1>[[Results: <bdi><a href="{{ELECTION_URL}}">{{NAME}}</a></bdi>]]</h1>
{{#ORG}}<p dir="auto" class="org muted">{{ORGANIZATION}}</p>{{/ORG}}
{{#OFFICERS_ONLY}}<p class="banner officers-only" role="note">[[Only the election officers can see these results for now. They become public when results.md is published in the election's repository.]]</p>{{/OFFICERS_ONLY}}

{{#CHOOSER}}<nav class="chooser" aria-label="[[Results of this process]]">
{{#OPTION}}{{#CURRENT}}<bdi><strong class="current">{{LABEL}}</strong></bdi>{{/CURRENT}}{{#LINK}}<bdi><a href="{{HREF}}">{{LABEL}}</a></bdi>{{/LINK}}{{#OPTION_separator}} · {{/OPTION_separator}}{{/OPTION}}
</nav>{{/CHOOSER}}

<dl class="facts turnout">
<dt>[[Voting closed]]</dt><dd><time datetime="{{END_ISO}}">{{END}}</time></dd>
{{#PARENT_TURNOUT}}<dt>[[Voters on the list]]</dt><dd class="voters">{{VOTERS}}</dd>
<dt>[[Ballots they may cast]]</dt><dd class="eligible">{{ELIGIBLE}} <span class="muted">[[(one per voter and child)]]</span></dd>
<dt>[[Ballots cast]]</dt><dd class="cast">{{CAST}} <span class="muted">[[(in all children)]]</span></dd>{{/PARENT_TURNOUT}}
{{#SINGLE_TURNOUT}}<dt>[[Eligible voters]]</dt><dd class="eligible">{{ELIGIBLE}}</dd>
<dt>[[Ballots cast]]</dt><dd class="cast">{{CAST}}</dd>{{/SINGLE_TURNOUT}}
<dt>[[Turnout]]</dt><dd class="turnout-percent">{{TURNOUT}}</dd>
<dt>[[Counted]]</dt><dd><time datetime="{{TALLIED_AT_ISO}}">{{TALLIED_AT}}</time> <span class="muted">[[(definition at commit <code>{{COMMIT}}</code>)]]</span></dd>
</dl>
{{#CONSOLIDATED}}<p class="muted">[[Consolidated result: the ballots of the children added up as the process's result pipes say. Choose a child above for its own result.]]</p>{{/CONSOLIDATED}}
{{#LINKS_ERASED}}<p class="muted links-erased">[[After the count, the links between voters and their ballots were erased, as this election asked.]]</p>{{/LINKS_ERASED}}
{{#NO_QUESTIONS}}<p class="muted">[[There is nothing to show: no question was counted.]]</p>{{/NO_QUESTIONS}}
{{#ELECTION_NOTE}}<p dir="auto" class="note">{{TEXT}}</p>{{/ELECTION_NOTE}}

{{#QUESTION}}<section class="question-result" data-id="{{QID}}" data-method="{{METHOD_ID}}">
<h2>{{TITLE}}</h2>
<p class="muted method">{{METHOD}}{{#SEATS_LINE}} · <span class="seats">{{SEATS}}</span>{{/SEATS_LINE}}</p>
<p class="winners"><strong>{{WINNERS_LABEL}}</strong> <bdi class="winner-names">{{WINNERS}}</bdi></p>
{{! TIE_SEATS: BEFORE and AFTER are one translated sentence around the tied names (results_page.cc). }}
{{#TIE}}<p class="banner tie" role="note"><strong>[[Tie:]]</strong> {{#TIE_SEATS}}{{BEFORE}}<bdi class="tied-names">{{TIED}}</bdi>{{AFTER}}{{/TIE_SEATS}}{{#TIE_YES_NO}}[[both answers have the same number of votes, so the question is not decided.]]{{/TIE_YES_NO}}{{#TIE_OPEN}} [[No tie-break is configured: the officers decide.]]{{/TIE_OPEN}}{{#TIE_BROKEN}} [[Broken by the configured tie-break: {{TIE_BREAK}}.]]{{/TIE_BROKEN}}</p>{{/TIE}}
{{#SOURCES}}<p class="sources">[[Counts the ballots of: <bdi>{{LIST}}</bdi>]]</p>{{/SOURCES}}

<div class="scroll" tabindex="0" role="region" aria-label="[[{{TITLE}}: ranking table]]"><table class="ranking">
<thead><tr><th scope="col">[[Rank]]</th><th scope="col">{{NAME_HEAD}}</th>{{#HEAD}}<th scope="col" class="{{HEAD_CLASS}}">{{LABEL}}</th>{{/HEAD}}<th scope="col">[[Result]]</th></tr></thead>
<tbody>
{{#RANK}}<tr class="rank" data-id="{{AID}}"><td class="position">{{POSITION}}</td><th scope="row" dir="auto" class="name">{{NAME}}</th>{{#CELL}}<td class="num">{{#SCORE}}<span class="score">{{VALUE}}</span>{{/SCORE}}{{#PLAIN}}{{VALUE}}{{/PLAIN}}</td>{{/CELL}}<td class="result">{{#WINNER}}<span class="badge ok">{{WIN_WORD}}</span>{{/WINNER}}{{#TIED}} <span class="badge warn">[[tied]]</span>{{/TIED}}{{#RESULT_TEXT}} <span class="round-result">{{TEXT}}</span>{{/RESULT_TEXT}}</td></tr>
{{/RANK}}</tbody>
</table></div>
{{#BASE_VOTES}}<p class="muted base">[[Percentages are of the valid ballots: {{VALID}} of {{CAST}} cast ({{BLANK}} blank, {{INVALID}} invalid).]]</p>{{/BASE_VOTES}}
{{#BASE_APPROVAL}}<p class="muted base">[[Percentages are of the valid ballots that approve each answer: {{VALID}} of {{CAST}} cast ({{BLANK}} blank, {{INVALID}} invalid). A ballot may approve several answers, so they may add up to more than 100%.]]</p>{{/BASE_APPROVAL}}

{{#CHART}}<figure class="chart">{{SVG:none}}</figure>{{/CHART}}

{{#MATRIX}}<h3>[[Pairwise preferences]]</h3>
<p class="muted">[[Each cell: ballots preferring the row's candidate to the column's. Green: the row's candidate wins the pair; red: it loses.]]</p>
<div class="scroll" tabindex="0" role="region" aria-label="[[{{TITLE}}: pairwise comparisons table]]"><table class="matrix">
<thead><tr><th scope="col" class="corner"><span class="visually-hidden">[[Preferred to →]]</span></th>{{#COL}}<th scope="col" dir="auto">{{NAME}}</th>{{/COL}}</tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row" dir="auto">{{NAME}}</th>{{#CELL}}<td class="{{CELL_CLASS}}" title="{{CELL_TITLE}}">{{VALUE}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table></div>{{/MATRIX}}

{{#PATHS}}<h3>[[Strongest paths]]</h3>
<p class="muted">[[Each cell: the strength of the strongest path from the row's candidate to the column's, a chain of pairwise wins as strong as its weakest link. The row's candidate beats the column's when its number is larger than the reverse (green).]]</p>
<div class="scroll" tabindex="0" role="region" aria-label="[[{{TITLE}}: strongest paths table]]"><table class="matrix paths">
<thead><tr><th scope="col" class="corner"><span class="visually-hidden">[[Path to →]]</span></th>{{#COL}}<th scope="col" dir="auto">{{NAME}}</th>{{/COL}}</tr></thead>
<tbody>
{{#ROW}}<tr><th scope="row" dir="auto">{{NAME}}</th>{{#CELL}}<td class="{{CELL_CLASS}}" title="{{CELL_TITLE}}">{{VALUE}}</td>{{/CELL}}</tr>
{{/ROW}}</tbody>
</table></div>{{/PATHS}}

{{#LOCKED}}<h3>[[Locked pairs]]</h3>
<p class="muted">[[Pairwise wins, strongest first, each kept unless it would contradict those already locked.]]</p>
<ol class="locked">{{#PAIR}}<li dir="auto">{{TEXT}}</li>{{/PAIR}}</ol>{{/LOCKED}}

{{#ROUNDS}}<h3>[[Rounds]]</h3>
{{#QUOTA}}<p class="muted">[[Quota to be elected: {{VALUE}}.]]</p>{{/QUOTA}}{{#MAJORITY}}<p class="muted">[[Majority needed to win: {{VALUE}}.]]</p>{{/MAJORITY}}
<div class="scroll" tabindex="0" role="region" aria-label="[[{{TITLE}}: rounds table]]"><table class="rounds">
<thead><tr><th scope="col">[[Round]]</th>{{#COL}}<th scope="col" dir="auto">{{NAME}}</th>{{/COL}}<th scope="col">[[Exhausted]]</th><th scope="col">[[What happened]]</th></tr></thead>
<tbody>
{{#ROUND}}<tr><th scope="row">{{N}}</th>{{#CELL}}<td class="{{CELL_CLASS}}">{{VALUE}}{{#TRANSFER}} <span class="transfer">({{DELTA}})</span>{{/TRANSFER}}</td>{{/CELL}}<td>{{EXHAUSTED}}</td><td class="action">{{ACTION}}</td></tr>
{{/ROUND}}</tbody>
</table></div>
<p class="muted">[[In brackets: what the previous round's transfer added or took away.]]</p>{{/ROUNDS}}

<h3>[[Ballots]]</h3>
<dl class="facts ballots">
<dt>[[Cast]]</dt><dd class="q-cast">{{CAST}}</dd>
<dt>[[Valid]]</dt><dd class="q-valid">{{VALID}}</dd>
<dt>[[Blank]]</dt><dd class="q-blank">{{BLANK}}</dd>
<dt>[[Invalid]]</dt><dd class="q-invalid">{{INVALID}}</dd>
</dl>
{{#REASON}}<p class="invalid-reason">{{TEXT}}</p>
{{/REASON}}{{#NOTE}}<p dir="auto" class="note">{{TEXT}}</p>
{{/NOTE}}</section>
{{/QUESTION}}

{{#EXPORT}}<section class="export">
<h2>[[Anonymized ballots]]</h2>
<p>{{#PUBLIC_EXPORT}}[[Every ballot, shuffled, with no voter attached:]]{{/PUBLIC_EXPORT}}{{#OFFICERS_ONLY_EXPORT}}[[Every ballot, shuffled, with no voter attached (visible to the officers only):]]{{/OFFICERS_ONLY_EXPORT}} {{#CSV_ONLY}}[[<a class="csv" href="{{CSV_URL}}">ballots.csv</a> (Elekto's format).]]{{/CSV_ONLY}}{{#BLT}}[[<a class="csv" href="{{CSV_URL}}">ballots.csv</a> (Elekto's format), <a class="blt" href="{{BLT_URL}}">ballots.blt</a>.]]{{/BLT}}</p>
</section>{{/EXPORT}}

{{#DRAFT}}<section class="results-draft">
<h2>[[Draft of results.md <span class="muted">(officers only)</span>]]</h2>
<p class="muted">{{#NOT_PUBLISHED}}[[Review it, then commit it as <code>results.md</code> in the election's folder to publish the results.]] {{/NOT_PUBLISHED}}[[Generated by urna-tally from the count above.]]</p>
<details><summary>[[Show the Markdown]]</summary><pre class="markdown-source">{{MARKDOWN}}</pre></details>
</section>{{/DRAFT}}

{{#PUBLISHED}}<section class="published-results">
<h2>[[Published results]]</h2>
<div class="markdown">{{RESULTS_HTML:none}}</div>
</section>{{/PUBLISHED}}
</article>
