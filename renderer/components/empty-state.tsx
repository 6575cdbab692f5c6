import { LogoMark, PlusIcon } from './icons';

/** No session yet: say how to get one, from here or from a terminal. */
export function EmptyState(props: { onNewSession: () => void }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <LogoMark className="empty-logo" />
      <h2 id="empty-title">No sessions running</h2>
      <p>Start one here, or from a terminal:</p>
      <code>btray open https://example.com</code>
      <button type="button" className="button button-primary" onClick={props.onNewSession}>
        <PlusIcon />
        <span>New session</span>
      </button>
    </section>
  );
}
