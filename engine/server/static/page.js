// The prosecutor's page: find a matter, answer only the questions the decision asks
// (its missing_facts), then see who decides, the route, what to report and why.
// Everything shown comes from the API (/v1/matters, /v1/facts, /v1/authorities, /v1/decide);
// text is put in with textContent only, never as HTML.
"use strict";

const WORDS = {
  zh: {title: "权责清单查询", switch: "English", actor: "我是", find: "事项", find_ph: "输入事项名称的一部分，如：逮捕",
       none: "没有找到名称含“{q}”的事项", token: "此服务需要令牌：", token_save: "确定", yes: "是", no: "否", ok: "确定",
       matter: "事项", authority: "决定主体", chain: "报批路径", report: "报告义务", because: "依据", facts: "已回答",
       list: "清单", again: "查询其他事项", change: "修改", may: "您可以自行决定", must: "须报{a}决定",
       forbidden: "法律禁止", undetermined: "尚不能确定", bounded: "此事项涉及的事实过多，无法判断；请咨询业务部门",
       nothing: "无", if: "（如果：{f}）", or_by: "或依 {r}", log: "日志编号", question_n: "第{n}个问题",
       uncovered: "清单未列明此事项，由检察长决定", uncovered_floor: "清单未列明此事项；依照法律由此主体决定",
       delegated: "（或经授权由副检察长决定）", responsible: "责任主体", violation: "越权",
       kind: {item: "清单条目", statute: "法律规定", reporting: "报告规则"}, failed: "请求失败：", colon: "："},
  en: {title: "Who decides? — powers and responsibilities list", switch: "中文", actor: "I am the", find: "Matter",
       find_ph: "Type part of the matter's name, e.g. arrest", none: "No matter's name contains “{q}”",
       token: "This service needs a token:", token_save: "OK", yes: "Yes", no: "No", ok: "OK",
       matter: "Matter", authority: "Decided by", chain: "Route", report: "Report to", because: "Because",
       facts: "Answered", list: "List", again: "Ask about another matter", change: "change",
       may: "You may decide this yourself", must: "Must go to the {a} to decide", forbidden: "Forbidden by law",
       undetermined: "Cannot tell yet", bounded: "This matter reads too many facts to tell; ask the department",
       nothing: "none", if: " (if: {f})", or_by: "or by {r}", log: "log entry", question_n: "Question {n}",
       uncovered: "The list has no item on this matter: the procurator-general decides",
       uncovered_floor: "The list has no item on this matter; by law this authority decides",
       delegated: " (or the deputy procurator-general, by delegation)", responsible: "Responsible",
       violation: "Violation", kind: {item: "list item", statute: "statute", reporting: "reporting rule"},
       failed: "The request failed: ", colon: ": "},
};

const state = {lang: new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh",
               token: sessionStorage.getItem("quanze-token") || "",
               matters: [], facts: {}, authorities: {}, matter: null, answers: [], decision: null};

const $ = (id) => document.getElementById(id);
const w = (key) => WORDS[state.lang][key];
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, k) => vars[k]);
const name = (text) => (text ? text[state.lang] || text.zh : "");
const who = (code) => (code in state.authorities ? name(state.authorities[code]) : code);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

async function api(path, body) {
  const headers = {"Accept": "application/json"};
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  const init = {headers};
  if (body !== undefined) {
    init.method = "POST";
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json();
  if (response.status === 401) {
    $("token").hidden = false;
    $("token-input").focus();
    throw new Error("");  // the token box says what is needed
  }
  if (!response.ok) {  // the message in the page's language (`message_zh`: the Chinese), after its code
    const said = data.error && (state.lang === "zh" && data.error.message_zh || data.error.message);
    throw new Error(data.error ? data.error.code + ": " + said : response.status);
  }
  return data;
}

function fail(error) {
  if (!error.message) return;
  $("failure").hidden = false;
  $("failure").textContent = w("failed") + error.message;
}

async function load() {
  try {
    const [matters, facts, authorities] = await Promise.all(
      [api("/v1/matters"), api("/v1/facts"), api("/v1/authorities")]);
    state.matters = matters;
    facts.forEach((f) => { state.facts[f.code] = f; });
    authorities.forEach((a) => { state.authorities[a.code] = a.name; });
    $("token").hidden = true;
    $("failure").hidden = true;
    render();
  } catch (error) { fail(error); }
}

function renderChrome() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = w("title");
  document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = w(node.dataset.t); });
  document.querySelectorAll("[data-ph]").forEach((node) => { node.placeholder = w(node.dataset.ph); });
  const actor = $("actor");
  const chosen = actor.value || "prosecutor";
  clear(actor);
  ["prosecutor", "department_head", "deputy_procurator_general", "procurator_general"].forEach((code) => {
    if (!(code in state.authorities)) return;
    const option = el("option", who(code));
    option.value = code;
    option.selected = code === chosen;
    actor.appendChild(option);
  });
}

function renderMatches() {
  const q = $("q").value.trim();
  const list = clear($("matches"));
  if (!q || state.matter) return;
  const low = q.toLowerCase();
  const found = state.matters.filter((m) => m.name.zh.includes(q) || (m.name.en || "").toLowerCase().includes(low)
                                             || m.code.includes(low)).slice(0, 30);
  if (!found.length) { list.appendChild(el("li", fill(w("none"), {q}))); return; }
  found.forEach((m) => {
    const button = el("button", name(m.name));
    button.type = "button";
    button.dataset.matter = m.code;
    button.appendChild(el("span", (m.line_name ? name(m.line_name) + " · " : "") + m.code, "code"));
    button.addEventListener("click", () => choose(m.code));
    list.appendChild(el("li")).appendChild(button);
  });
}

function choose(code) {
  state.matter = code;
  state.answers = [];
  decide();
}

async function decide() {
  const facts = {};
  state.answers.forEach(([code, value]) => { facts[code] = value; });
  try {
    state.decision = await api("/v1/decide", {matter: state.matter, actor: $("actor").value, facts});
    $("failure").hidden = true;
  } catch (error) { fail(error); return; }
  render();
}

function valueText(code, value) {
  const fact = state.facts[code];
  if (typeof value === "boolean") return value ? w("yes") : w("no");
  if (fact && fact.value_labels && fact.value_labels[value]) return name(fact.value_labels[value]);
  return String(value);
}

function factName(code) {
  const fact = state.facts[code];
  return fact ? name(fact.label) || name(fact.question) : code;
}

function renderAnswered(list) {
  clear(list);
  state.answers.forEach(([code, value], i) => {
    const item = el("li", factName(code) + w("colon") + valueText(code, value));
    const change = el("button", w("change"));
    change.type = "button";
    change.addEventListener("click", () => { state.answers = state.answers.slice(0, i); decide(); });
    item.appendChild(change);
    list.appendChild(item);
  });
}

function renderQuestion(missing) {
  const fact = state.facts[missing.fact] || {type: "string", values: []};
  $("question").textContent = fill(w("question_n"), {n: state.answers.length + 1}) + w("colon") + name(missing.question);
  const choices = clear($("choices"));
  const answer = (value) => { state.answers.push([missing.fact, value]); decide(); };
  const button = (text, value) => {
    const b = el("button", text);
    b.type = "button";
    b.dataset.value = JSON.stringify(value);
    b.addEventListener("click", () => answer(value));
    choices.appendChild(b);
  };
  if (fact.type === "boolean") {
    button(w("yes"), true);
    button(w("no"), false);
    return;
  }
  if (fact.type === "enum") {
    fact.values.forEach((v) => button(valueText(missing.fact, v), v));
    return;
  }
  const input = el("input");
  input.id = "answer-input";
  input.type = fact.type === "integer" ? "number" : fact.type === "date" ? "date" : "text";
  if (fact.min !== null && fact.min !== undefined) input.min = fact.min;
  if (fact.max !== null && fact.max !== undefined) input.max = fact.max;
  input.required = true;
  choices.appendChild(input);
  const ok = el("button", w("ok"), "primary");
  ok.type = "submit";
  choices.appendChild(ok);
  $("question-form").onsubmit = (event) => {
    event.preventDefault();
    if (!input.value) return;
    answer(fact.type === "integer" ? parseInt(input.value, 10) : input.value);
  };
  input.focus();
}

function verdict(d) {
  if (d.status === "forbidden") {
    const rule = d.because.find((r) => r.effect === "forbid" && r.message);
    return [w("forbidden") + (rule ? w("colon") + name(rule.message) : ""), "forbidden"];
  }
  if (d.status === "undetermined") return [d.missing_facts.length ? w("undetermined") : w("bounded"), "undetermined"];
  if (d.actor_may_decide) return [w("may"), "ok"];
  return [fill(w("must"), {a: who(d.authority)}), "up"];
}

function renderAnswer(d) {
  const [text, cls] = verdict(d);
  $("verdict").textContent = text;
  $("verdict").className = cls;
  const matter = state.matters.find((m) => m.code === d.matter);
  $("a-matter").textContent = (matter ? name(matter.name) + " " : "") + "(" + d.matter + ")";
  $("a-authority").textContent = d.authority ? who(d.authority) : w("nothing");
  // an uncovered matter goes to the procurator-general (the fallback) unless a statutory floor puts it higher
  if (d.uncovered) $("a-authority").textContent += " — " + w(d.authority === "procurator_general" ? "uncovered" : "uncovered_floor");
  const delegated = (d.delegable_to || []).includes("deputy_procurator_general");
  const chain = clear($("a-chain"));
  if (d.chain.length) d.chain.forEach((a, i) => chain.appendChild(
    el("li", who(a) + (delegated && i === d.chain.length - 1 && a === d.authority ? w("delegated") : ""))));
  else chain.appendChild(el("li", w("nothing"), "none"));
  const obligations = clear($("a-obligations"));
  if (!d.obligations.length) obligations.appendChild(el("li", w("nothing")));
  d.obligations.forEach((o) => {
    let text = o.report_to.map(who).join(state.lang === "zh" ? "、" : ", ");
    if (o.if_facts) text += fill(w("if"), {f: o.if_facts.map(factName).join(state.lang === "zh" ? "、" : ", ")});
    text += " [" + o.by + (o.or_by ? " / " + fill(w("or_by"), {r: o.or_by.join(", ")}) : "") + "]";
    obligations.appendChild(el("li", text));
  });
  const because = clear($("a-because"));
  d.because.forEach((r) => {
    const item = el("li");
    item.appendChild(el("strong", r.id));
    item.appendChild(document.createTextNode(" " + (w("kind")[r.kind] || r.kind)
                                             + (r.authority ? " · " + who(r.authority) : "")));
    if (r.message) item.appendChild(el("span", name(r.message), "basis"));
    r.basis.forEach((b) => item.appendChild(el("span", b, "basis")));
    item.appendChild(el("span", r.source, "source"));
    because.appendChild(item);
  });
  if (d.violation) because.appendChild(el("li", w("violation") + w("colon") + d.violation.reason));
  renderAnswered($("a-facts"));
  if (!state.answers.length) $("a-facts").appendChild(el("li", w("nothing")));
  $("a-list").textContent = d.list.id + " " + d.list.digest.slice(0, 19) + " · " + w("log") + " " + d.log_id;
}

function render() {
  renderChrome();
  const d = state.decision;
  const asking = d && d.status === "undetermined" && d.missing_facts.length > 0;
  $("find").hidden = !!state.matter;
  $("ask").hidden = !asking;
  $("answer").hidden = !d || asking;
  $("again-row").hidden = !state.matter;
  renderMatches();
  if (!d) return;
  const matter = state.matters.find((m) => m.code === d.matter);
  $("ask-matter").textContent = matter ? name(matter.name) : d.matter;
  if (asking) { renderAnswered($("answered")); renderQuestion(d.missing_facts[0]); }
  else renderAnswer(d);
}

document.addEventListener("DOMContentLoaded", () => {
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    const url = new URL(location.href);
    url.searchParams.set("lang", state.lang);
    history.replaceState(null, "", url);
    render();
  });
  $("q").addEventListener("input", renderMatches);
  $("again").addEventListener("click", () => {
    state.matter = null; state.decision = null; state.answers = [];
    $("q").value = "";
    render();
    $("q").focus();
  });
  $("token-save").addEventListener("click", () => {
    state.token = $("token-input").value.trim();
    sessionStorage.setItem("quanze-token", state.token);
    load();
  });
  $("actor").addEventListener("change", () => { if (state.matter) decide(); });
  load();
});
