var v=Object.defineProperty;var o=(l,i)=>v(l,"name",{value:i,configurable:true});const W=844;const u=[844];const C={4844:((l,i,t)=>{t.r(i);t.d(i,{createMigrationFile:o(()=>P,"createMigrationFile"),migrationTemplate:o(()=>c,"migrationTemplate")});var _=t(1455);var L=t.n(_);var E=t(6760);var T=t.n(E);var d=t(7117);var a=t(652);var D=t(1994);var O=t(2587);function c(e,s){return`-- Migration: ${e}
-- Created: ${s.toISOString().slice(0,19)}

-- UP
-- SQL that applies the change goes here.


-- DOWN
-- SQL that undoes it goes here. Without any, rollback refuses to undo this migration.

`}o(c,"migrationTemplate");async function P(e,s,f){const r=(0,d.rh)(s);if(r===""){throw(0,a.fJ)("INVALID_NAME",`"${s}" leaves no usable name (letters and digits are kept)`,{hint:"describe the change in a few words, e.g. add_orders_table"})}await(0,_.mkdir)(e,{recursive:true}).catch(()=>{});const{named:I,problems:h}=(0,O.SH)((0,D.K)(e));if(h.length>0)throw(0,a.wf)(h,`${h.length} problems with the migration file names in ${e}`);const m=(0,d.vZ)(I,r,f);const n=(0,E.join)(e,m.fileName);try{await(0,_.writeFile)(n,c(r,f),{flag:"wx"})}catch(g){const M=g.code;if(M==="EEXIST"){throw(0,a.fJ)("FILE_EXISTS",`${n} already exists; it was left as it is`,{file:n,hint:"run create again, or pick the next version by hand"})}throw(0,a.fJ)("WRITE_FAILED",`cannot write ${n}: ${M??String(g)}`,{file:n,hint:"check the directory permissions"})}return{path:n,version:m.version,name:r}}o(P,"createMigrationFile")})};export{W as id,u as ids,C as modules};
