var w=Object.defineProperty;var l=(c,n)=>w(c,"name",{value:n,configurable:true});const v=844;const x=[844];const F={4844:((c,n,e)=>{Object.defineProperty(n,"__esModule",{value:true});n.migrationTemplate=m;n.createMigrationFile=S;const h=e(1455);const y=e(6760);const d=e(7117);const o=e(652);const E=e(1994);const I=e(2587);function m(t,s){return`-- Migration: ${t}
-- Created: ${s.toISOString().slice(0,19)}

-- UP
-- SQL that applies the change goes here.


-- DOWN
-- SQL that undoes it goes here. Without any, rollback refuses to undo this migration.

`}l(m,"migrationTemplate");async function S(t,s,f){const a=(0,d.sanitizeName)(s);if(a===""){throw(0,o.fail)("INVALID_NAME",`"${s}" leaves no usable name (letters and digits are kept)`,{hint:"describe the change in a few words, e.g. add_orders_table"})}await(0,h.mkdir)(t,{recursive:true}).catch(()=>{});const{named:$,problems:r}=(0,I.nameEntries)((0,E.listDirectory)(t));if(r.length>0)throw(0,o.failAll)(r,`${r.length} problems with the migration file names in ${t}`);const g=(0,d.nextFileName)($,a,f);const i=(0,y.join)(t,g.fileName);try{await(0,h.writeFile)(i,m(a,f),{flag:"wx"})}catch(u){const p=u.code;if(p==="EEXIST"){throw(0,o.fail)("FILE_EXISTS",`${i} already exists; it was left as it is`,{file:i,hint:"run create again, or pick the next version by hand"})}throw(0,o.fail)("WRITE_FAILED",`cannot write ${i}: ${p??String(u)}`,{file:i,hint:"check the directory permissions"})}return{path:i,version:g.version,name:a}}l(S,"createMigrationFile")})};export{v as id,x as ids,F as modules};
