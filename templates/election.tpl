{{%AUTOESCAPE context="HTML"}}<article class="election phase-{{PHASE}}" data-id="{{ID}}">
{{#PARENT}}<p class="breadcrumb">[[Part of <a class="parent" href="{{PARENT_URL}}">{{PARENT_NAME}}</a>]]</p>{{/PARENT}}
<h1><bdi>{{NAME}}</bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span></h1>
{{#ORG}}<p dir="auto" class="org muted">{{ORGANIZATION}}</p>{{/ORG}}

<dl class="facts">
<dt>[[Voting opens]]</dt><dd><time datetime="{{START_ISO}}">{{START}}</time></dd>
<dt>[[Voting closes]]</dt><dd><time datetime="{{END_ISO}}">{{END}}</time></dd>
<dt>[[Status]]</dt><dd class="when">{{WHEN}}</dd>
{{#HAS_VOTERS}}<dt>[[Eligible voters]]</dt><dd class="voter-count">{{VOTER_COUNT}}</dd>{{/HAS_VOTERS}}
{{#BALLOT_KEY}}<dt>[[Ballot key]]</dt><dd class="ballot-key"><code class="fingerprint">{{FINGERPRINT}}</code> <span class="muted">[[({{KEY_SOURCE}}; ballots are sealed to it before they are stored)]]</span></dd>{{/BALLOT_KEY}}
{{#NO_BALLOT_KEY}}<dt>[[Ballot key]]</dt><dd class="ballot-key">[[<span class="badge warn">none</span> no ballot key is published, so the booth cannot open]]</dd>{{/NO_BALLOT_KEY}}
<dt>[[Officers]]</dt><dd class="officers">{{#OFFICER_LOGIN}}<bdi class="login">{{LOGIN}}</bdi>{{#OFFICER_LOGIN_separator}}, {{/OFFICER_LOGIN_separator}}{{/OFFICER_LOGIN}}{{#NO_OFFICERS}}<span class="muted">[[none listed]]</span>{{/NO_OFFICERS}}</dd>
</dl>

<nav class="actions" aria-label="[[This election]]">
{{#VOTE_LINK}}<a class="button vote" href="{{HREF}}">{{LABEL}}</a>{{/VOTE_LINK}}
{{#RESULTS_LINK}}<a class="button secondary results" href="{{HREF}}">[[Results]]</a>{{/RESULTS_LINK}}
{{#EXCEPTION_LINK}}<a class="button secondary exception" href="{{HREF}}">[[Request an exception]]</a>{{/EXCEPTION_LINK}}
{{#ADMIN_LINK}}<a class="button secondary admin" href="{{HREF}}">[[Officers' page]]</a>{{/ADMIN_LINK}}
</nav>

{{! Your standing: one badge per fact, each with its own colour and icon (urna.css, "Statuses"). }}
<section class="you" aria-label="[[Your standing]]">
{{#YOU}}<p><bdi>[[Signed in as <strong>{{LOGIN}}</strong>]]</bdi>:
{{#YOU_ELIGIBLE}}<span data-badge="eligible" class="badge status eligible">[[eligible]]</span> [[you are on the voter list of this election.]]{{/YOU_ELIGIBLE}}
{{#YOU_NOT_ELIGIBLE}}<span data-badge="not-eligible" class="badge status not-eligible">[[not eligible]]</span> [[you are not on the voter list, so you cannot vote in this election.]]{{/YOU_NOT_ELIGIBLE}}
{{#YOU_CHILDREN}}<span class="badge status eligible">[[eligible]]</span> [[you may vote in]] {{/YOU_CHILDREN}}{{#YOU_CHILD}}<bdi><a href="{{URL}}">{{NAME}}</a></bdi>{{#YOU_CHILD_VOTED}} <span data-badge="voted" class="badge status voted">[[voted]]</span>{{/YOU_CHILD_VOTED}}{{#YOU_CHILD_separator}}, {{/YOU_CHILD_separator}}{{/YOU_CHILD}}{{#YOU_CHILDREN}}.{{/YOU_CHILDREN}}
{{#YOU_OFFICER}}<span data-badge="officer" class="badge status officer">[[officer]]</span>{{/YOU_OFFICER}}
{{#VOTED}}<span data-badge="voted" class="badge status voted">[[voted]]</span> {{#CAN_CHANGE}}[[you may change your ballot until voting closes.]]{{/CAN_CHANGE}}{{#VOTING_OVER}}[[you voted in this election.]]{{/VOTING_OVER}} <a class="view-ballot" href="{{BALLOT_URL}}">[[View my ballot]]</a>{{/VOTED}}</p>{{/YOU}}
{{#ANONYMOUS}}<p class="muted">[[<a href="{{LOGIN_URL}}">Sign in</a> to see whether you can vote.]]</p>{{/ANONYMOUS}}
</section>

<section class="description markdown">
{{DESC:none}}
</section>

{{#RESULTS}}<section class="published-results">
<h2>[[Published results]]</h2>
<div class="markdown">{{RESULTS_HTML:none}}</div>
</section>{{/RESULTS}}

{{#ELIGIBILITY}}<section class="eligibility">
<h2>[[Who can vote]]</h2>
<p class="pre">{{TEXT:pre_escape}}</p>
</section>{{/ELIGIBILITY}}
{{! exception_window() decides: the description invites requests only while the form exists. }}
{{#EXCEPTION}}<section class="exception">
<h2>[[Exceptions]]</h2>
{{#EXCEPTION_OPEN}}<p class="pre">{{TEXT:pre_escape}}</p>
<p class="muted requests-open">[[Requests are accepted until <time datetime="{{EXCEPTION_DUE_ISO}}">{{EXCEPTION_DUE}}</time>.]]</p>{{/EXCEPTION_OPEN}}
{{#EXCEPTION_CLOSED}}<p class="muted requests-closed">[[Exception requests closed on <time datetime="{{EXCEPTION_DUE_ISO}}">{{EXCEPTION_DUE}}</time>.]]</p>{{/EXCEPTION_CLOSED}}
</section>{{/EXCEPTION}}

<section class="questions">
<h2 dir="auto">{{BALLOT_TITLE}}</h2>
<table class="questions stack">
<thead><tr><th scope="col">[[Question]]</th><th scope="col">[[How to vote]]</th><th scope="col">[[Counted by]]</th><th scope="col">[[Choices]]</th></tr></thead>
<tbody>
{{#QUESTION}}<tr class="question" data-id="{{QID}}"><th scope="row" class="title" data-label="[[Question]]"><bdi>{{TITLE}}</bdi>{{#QDESC}}<div class="markdown">{{QDESC_HTML:none}}</div>{{/QDESC}}</th><td class="instruction" data-label="[[How to vote]]">{{INSTRUCTION}}</td><td class="method" data-label="[[Counted by]]" data-method="{{METHOD_ID}}">{{METHOD}}</td>
<td class="choices" data-label="[[Choices]]">{{#FROM_CANDIDATES}}{{CANDIDATES_TEXT}}{{/FROM_CANDIDATES}}{{#ANSWER}}<bdi>{{TEXT}}</bdi>{{#ANSWER_separator}} · {{/ANSWER_separator}}{{/ANSWER}}</td></tr>
{{/QUESTION}}</tbody>
</table>
</section>

{{#CANDIDATES}}<section class="candidates">
<h2>[[Candidates]] <span class="muted">({{COUNT}})</span></h2>
<ul class="candidates">
{{#CANDIDATE}}<li class="candidate" data-id="{{CID}}"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi>
{{#FIELD}}<span class="field"><bdi class="key">{{KEY}}</bdi>: <bdi>{{#LINK}}<a href="{{VALUE}}" rel="nofollow noopener">{{VALUE}}</a>{{/LINK}}{{#TEXT}}{{VALUE}}{{/TEXT}}</bdi></span>{{/FIELD}}
</li>
{{/CANDIDATE}}</ul>
</section>{{/CANDIDATES}}

{{! The children list badges what applies to the visitor (eligible, voted, officer); a child they cannot vote in shows none. }}
{{#CHILDREN}}<section class="children">
<h2>[[Elections in this process]] <span class="muted">({{COUNT}})</span></h2>
{{#CATEGORY}}<div class="category">
{{#HEADING}}<h3>{{TITLE}}</h3>{{/HEADING}}
<ul class="elections">
{{#CHILD}}<li class="election child phase-{{PHASE}}" data-id="{{ID}}"><bdi><a class="name" href="{{URL}}">{{NAME}}</a></bdi> <span class="badge phase {{PHASE}}">{{PHASE_TITLE}}</span>
<span class="badges">{{#CHILD_ELIGIBLE}}<span class="badge status eligible">[[eligible]]</span>{{/CHILD_ELIGIBLE}}{{#CHILD_VOTED}}<span class="badge status voted">[[voted]]</span>{{/CHILD_VOTED}}{{#CHILD_OFFICER}}<span class="badge status officer">[[officer]]</span>{{/CHILD_OFFICER}}</span>
<div class="dates muted"><time datetime="{{START_ISO}}">{{START}}</time> – <time datetime="{{END_ISO}}">{{END}}</time> · {{WHEN}}</div></li>
{{/CHILD}}</ul>
</div>
{{/CATEGORY}}</section>{{/CHILDREN}}
</article>
