/** The "customer phone": type as a customer, see the business's replies with ✓ / ✓✓ / blue ✓✓. Polls once a second. */
export const PHONE_PAGE_HTML = `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kunden-Handy · WhatsApp-Simulator</title>
<style>
  body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: #d9dbd5; display: flex; justify-content: center; }
  .phone { width: 390px; max-width: 100vw; height: 100vh; display: flex; flex-direction: column; background: #efeae2; box-shadow: 0 0 20px #0003; }
  header { background: #075e54; color: #fff; padding: 10px 12px; }
  header form { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
  header input { flex: 1; min-width: 0; padding: 5px; border-radius: 4px; border: 0; }
  header label { font-size: 12px; display: flex; align-items: center; gap: 4px; }
  #chat { flex: 1; overflow-y: auto; padding: 10px; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 80%; padding: 6px 9px; border-radius: 8px; white-space: pre-wrap; word-wrap: break-word; box-shadow: 0 1px 1px #0002; }
  .in { align-self: flex-end; background: #d9fdd3; }
  .out { align-self: flex-start; background: #fff; }
  .meta { font-size: 11px; color: #667781; text-align: right; margin-top: 2px; }
  .ticks.read { color: #53bdeb; }
  .failed { color: #c0392b; }
  .btns { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; }
  .btns button { background: #fff; border: 1px solid #cfd8dc; color: #027eb5; border-radius: 6px; padding: 5px; cursor: pointer; }
  footer { padding: 8px; background: #f0f2f5; }
  footer form { display: flex; gap: 6px; }
  footer input { flex: 1; padding: 9px; border-radius: 18px; border: 0; }
  footer button, .quick button { border: 0; background: #00a884; color: #fff; border-radius: 16px; padding: 7px 11px; cursor: pointer; }
  .quick { display: flex; gap: 5px; flex-wrap: wrap; margin-bottom: 6px; }
  .quick button { background: #fff; color: #075e54; border: 1px solid #00a884; font-size: 12px; padding: 4px 8px; }
  #status { font-size: 12px; opacity: .85; }
</style>
</head>
<body>
<div class="phone">
  <header>
    <strong>Kunden-Handy</strong> <span id="status"></span>
    <form id="who">
      <input id="phone" placeholder="+49 151 23456789" value="+49 151 23456789" aria-label="Telefonnummer">
      <input id="name" placeholder="Name" value="Erika Mustermann" aria-label="Name">
      <label><input type="checkbox" id="bsuid"> nur Nutzername (BSUID)</label>
    </form>
  </header>
  <div id="chat" aria-live="polite"></div>
  <footer>
    <div class="quick">
      <button data-text="STOP">STOP</button>
      <button data-text="JA">JA</button>
      <button id="loc">📍 Standort</button>
      <button id="react">👍 Reaktion</button>
      <button id="photo">📷 Foto</button>
      <button id="optout">Marketing abbestellen</button>
    </div>
    <form id="composer"><input id="text" placeholder="Nachricht" autocomplete="off" aria-label="Nachricht"><button>Senden</button></form>
  </footer>
</div>
<script>
const $ = (id) => document.getElementById(id);
let customerId = localStorage.getItem("sim.customer") || "";
let lastBusinessId = "";
function who() {
  const base = { name: $("name").value };
  if (customerId) return { ...base, customer: customerId };
  if ($("bsuid").checked) return { ...base, username: $("name").value.toLowerCase().replace(/\\W+/g, "."), isBsuidOnly: true };
  return { ...base, phone: $("phone").value };
}
async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = await res.json();
  if (json.customer && json.customer.id) { customerId = json.customer.id; localStorage.setItem("sim.customer", customerId); }
  $("status").textContent = json.delivered === false ? "⚠ Webhook nicht angenommen" : "";
  refresh();
  return json;
}
const send = (body) => post("/_customer/messages", { ...who(), ...body });
$("who").addEventListener("change", () => { customerId = ""; localStorage.removeItem("sim.customer"); $("chat").innerHTML = ""; });
$("composer").addEventListener("submit", (e) => { e.preventDefault(); const t = $("text").value.trim(); if (!t) return; $("text").value = ""; send({ type: "text", text: t }); });
document.querySelectorAll("[data-text]").forEach((b) => b.addEventListener("click", () => send({ type: "text", text: b.dataset.text })));
$("loc").addEventListener("click", () => send({ type: "location", latitude: 52.5163, longitude: 13.3777, locationName: "Brandenburger Tor" }));
$("react").addEventListener("click", () => lastBusinessId && send({ type: "reaction", messageId: lastBusinessId, emoji: "👍" }));
$("photo").addEventListener("click", () => send({ type: "image", caption: "Foto vom Kunden" }));
$("optout").addEventListener("click", () => post("/_customer/preferences", { ...who(), value: "stop" }));
function ticks(m) {
  if (m.status === "failed") return '<span class="failed">⚠ ' + (m.errorCode || "") + "</span>";
  if (m.status === "read") return '<span class="ticks read">✓✓</span>';
  if (m.status === "delivered") return '<span class="ticks">✓✓</span>';
  if (m.status === "sent") return '<span class="ticks">✓</span>';
  return '<span class="ticks">🕓</span>';
}
function render(messages) {
  const chat = $("chat");
  const atBottom = chat.scrollTop + chat.clientHeight >= chat.scrollHeight - 20;
  chat.innerHTML = "";
  for (const m of messages) {
    const div = document.createElement("div");
    div.className = "msg " + (m.direction === "inbound" ? "in" : "out");
    const text = document.createElement("div");
    text.textContent = m.text;
    div.appendChild(text);
    if (m.buttons && m.direction === "outbound") {
      const btns = document.createElement("div");
      btns.className = "btns";
      for (const b of m.buttons) {
        const btn = document.createElement("button");
        btn.textContent = b.title;
        btn.addEventListener("click", () => send(b.kind === "template"
          ? { type: "button", text: b.title, replyId: b.id, contextId: m.wamid }
          : { type: "button_reply", replyId: b.id, replyTitle: b.title, contextId: m.wamid }));
        btns.appendChild(btn);
      }
      div.appendChild(btns);
    }
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.innerHTML = new Date(m.at).toLocaleTimeString("de-DE", { hour: "2-digit", minute: "2-digit" }) + " " + ticks(m);
    div.appendChild(meta);
    chat.appendChild(div);
    if (m.direction === "outbound") lastBusinessId = m.wamid;
  }
  if (atBottom) chat.scrollTop = chat.scrollHeight;
}
async function refresh() {
  if (!customerId) return;
  const res = await fetch("/_customer/conversation?customer=" + encodeURIComponent(customerId));
  const json = await res.json();
  render(json.messages || []);
}
setInterval(refresh, 1000);
refresh();
</script>
</body>
</html>`;
