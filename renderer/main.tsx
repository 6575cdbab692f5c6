import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickBridge } from './bridge/pick-bridge';
import { App } from './components/app';
import { connectStore, createDashboardStore } from './store';
import { StoreProvider } from './store-context';

const root = document.getElementById('root');
if (!root) throw new Error('the dashboard page has no #root element');

const bridge = pickBridge();
const store = createDashboardStore(bridge);
connectStore(store, bridge);

createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <App />
    </StoreProvider>
  </StrictMode>,
);
