import { render } from 'preact';
import '../styles/theme.css';
import '../styles/forms.css';
import '../styles/conversation.css';
import '../styles/widget.css';
import { createWidgetStore } from './store';
import { Widget } from './Widget';

// Served as `/embed/<room>` (src/worker/embed/page.ts).
const room = decodeURIComponent(location.pathname.split('/')[2] ?? '') || 'global';
render(<Widget store={createWidgetStore(room)} />, document.getElementById('app')!);
