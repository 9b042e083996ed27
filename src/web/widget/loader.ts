/**
 * `widget.js`: what a third-party page includes to embed a Parlor room.
 *
 *   <script src="https://parlor.example/widget.js" data-room="global" async></script>
 *
 * It puts an iframe of `/embed/<room>` from Parlor's own origin where the script tag
 * is (or into `data-target`, a CSS selector). The chat runs inside the iframe, so the host
 * page never sees the user's session. Optional: data-width, data-height, data-title.
 */
{
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement && script.src) {
    const { room = 'global', width = '100%', height = '480px', title, target } = script.dataset;
    const frame = document.createElement('iframe');
    frame.src = `${new URL(script.src).origin}/embed/${encodeURIComponent(room)}`;
    frame.title = title || 'Parlor chat';
    frame.loading = 'lazy';
    frame.style.cssText = `width:${width};height:${height};max-width:100%;border:1px solid rgba(128,128,128,.35);border-radius:12px;color-scheme:normal`;
    const host = target ? document.querySelector(target) : null;
    if (host) host.append(frame);
    else script.after(frame);
  }
}
