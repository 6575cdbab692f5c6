import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { DashboardState, DashboardStore } from './store';

const StoreContext = createContext<DashboardStore | null>(null);

export function StoreProvider(props: { store: DashboardStore; children: ReactNode }) {
  return <StoreContext.Provider value={props.store}>{props.children}</StoreContext.Provider>;
}

/** Reads one slice of the dashboard store; components re-render only when it changes. */
export function useDashboard<T>(selector: (state: DashboardState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useDashboard needs a StoreProvider above it');
  return useStore(store, selector);
}
