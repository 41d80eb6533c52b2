{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · urna</title>
<link rel="stylesheet" href="{{STATIC}}/urna.css">
<script src="{{STATIC}}/urna.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">[[Skip to content]]</a>
{{#DEMO}}<aside class="banner demo" aria-label="[[Demo]]">[[<strong>Demo login — not for real elections.</strong> Anyone can sign in as any example voter.]]</aside>{{/DEMO}}
<header class="top">
  <a class="brand" href="{{PREFIX}}/">urna</a>
  <nav aria-label="[[Account]]">
  {{#USER}}<bdi class="who">[[Signed in as <strong>{{LOGIN}}</strong>]]</bdi>
    <form method="post" action="{{PREFIX}}/logout" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}"><button type="submit" class="link">[[Sign out]]</button></form>{{/USER}}
  {{#ANONYMOUS}}<a href="{{PREFIX}}/login?next={{NEXT}}">[[Sign in]]</a>{{/ANONYMOUS}}
  </nav>
</header>
<main id="main" tabindex="-1">
{{>BODY}}
</main>
<footer class="bottom"><p>[[Elections run with <a href="{{PREFIX}}/">urna</a>. Every election's definition is public in its git repository.]]</p></footer>
</body>
</html>
