import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { NEW_SESSION_HASH } from '../shared/bridge';
import { pickBridge } from './bridge/pick-bridge';
import { App } from './components/app';
import { connectStore, createDashboardStore } from './store';
import { StoreProvider } from './store-context';

const root = document.getElementById('root');
if (!root) throw new Error('the dashboard page has no #root element');

const bridge = pickBridge();
const store = createDashboardStore(bridge);
connectStore(store, bridge);

// The tray's New session… opens the window on #new-session; once read, the hash goes, so a
// reload shows the plain dashboard.
const formOpenAtStart = window.location.hash === NEW_SESSION_HASH;
if (formOpenAtStart)
  history.replaceState(null, '', window.location.pathname + window.location.search);
const onNewSessionRequested = bridge.onNewSessionRequested?.bind(bridge);

createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App formOpenAtStart={formOpenAtStart} onNewSessionRequested={onNewSessionRequested} />
    </StoreProvider>
  </StrictMode>,
);
