import { render } from 'preact';
import { App } from './app/App';
import { createStore } from './app/store';
import './styles/theme.css';
import './styles/forms.css';
import './styles/layout.css';
import './styles/conversation.css';

const store = createStore();
render(<App store={store} />, document.getElementById('app')!);
