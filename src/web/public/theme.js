// Applies a chosen theme before the first paint, so a dark-mode user never sees a white flash.
// A file rather than an inline script: the page's CSP allows scripts from 'self' only.
try {
  const theme = JSON.parse(localStorage.getItem('parlor.settings') || '{}').theme;
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {}
