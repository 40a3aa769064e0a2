/* gongkai: mkdocs-material 9's inline bootstrap (partials/javascripts/base.html), served as a file
   so the Content-Security-Policy can forbid inline scripts. The scope is the site root, found from
   this script's own URL (assets/javascripts/ is two levels below it) instead of the template's base_url. */
__md_scope=new URL("../../",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
