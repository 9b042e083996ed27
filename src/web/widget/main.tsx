import { render } from 'preact';
import '../styles/theme.css';
import '../styles/forms.css';
import '../styles/conversation.css';
import '../styles/widget.css';
import { createWidgetStore } from './store';
import { Widget } from './Widget';

const room = new URLSearchParams(location.search).get('room') || 'global';
render(<Widget store={createWidgetStore(room)} />, document.getElementById('app')!);
