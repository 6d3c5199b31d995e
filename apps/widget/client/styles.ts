/** The widget's CSS, inside its shadow root (the page's styles cannot reach it, and it cannot reach the page). */
export function widgetCss(primary: string, text: string): string {
  return `
:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2327}
*{box-sizing:border-box}
button{font:inherit;cursor:pointer}
.launcher{width:56px;height:56px;border-radius:50%;border:0;background:${primary};color:${text};box-shadow:0 2px 10px rgba(0,0,0,.25);font-size:26px}
.panel{position:absolute;right:0;bottom:68px;width:min(370px,calc(100vw - 32px));height:min(560px,calc(100vh - 100px));background:#fff;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.panel[hidden]{display:none}
header{background:${primary};color:${text};padding:12px 16px;display:flex;justify-content:space-between;align-items:center;font-weight:600}
header button{background:none;border:0;color:${text};font-size:20px}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:6px;background:#f6f7f9}
.msg{max-width:80%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}
.msg.in{align-self:flex-end;background:${primary};color:${text}}
.msg.out{align-self:flex-start;background:#fff;border:1px solid #e3e5e8}
.msg.greeting{align-self:flex-start;background:#fff;border:1px dashed #c9ccd1}
.meta{font-size:12px;color:#5b6168;align-self:flex-end}
.typing{font-size:13px;color:#5b6168;padding:0 12px 4px;min-height:1.2em}
.consent{padding:12px 16px;display:grid;gap:8px;border-top:1px solid #e3e5e8;font-size:14px}
.consent label{display:flex;gap:8px;align-items:flex-start}
.consent a{color:${primary}}
.consent button,.composer button{background:${primary};color:${text};border:0;border-radius:8px;padding:8px 14px}
.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8}
.composer textarea{flex:1;resize:none;border:1px solid #c9ccd1;border-radius:8px;padding:8px;font:inherit;min-height:40px;max-height:120px}
.wa{padding:8px 16px;display:grid;gap:6px;justify-items:start;font-size:14px;border-top:1px solid #e3e5e8}
.wa button,.wa a{background:#25d366;color:#fff;border:0;border-radius:8px;padding:6px 12px;text-decoration:none}
.wa img{width:160px;height:160px}
.wa[hidden],.consent[hidden],.composer[hidden]{display:none}
.composer .attach{background:none;color:#5b6168;border:1px solid #c9ccd1;padding:6px 10px}
.thumb{display:block;max-width:100%;max-height:180px;border-radius:8px;min-width:40px;min-height:40px}
.msg a{color:inherit}
.progress:empty{display:none}
.progress{padding:0 12px}
.error{color:#b3261e;font-size:13px;padding:0 12px 6px}
.error:empty{display:none}
`;
}
