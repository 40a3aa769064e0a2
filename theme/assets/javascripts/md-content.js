/* gongkai: mkdocs-material 9's content fix-up (partials/javascripts/content.html), verbatim, as a file. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
