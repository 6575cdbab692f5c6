import type { SessionSnapshot } from '../../shared/snapshot';
import type { PendingAction } from '../store';
import { useDashboard } from '../store-context';
import { RecordIcon, Spinner, StopIcon } from './icons';

interface ActionsProps {
  session: SessionSnapshot;
  pending: PendingAction | undefined;
}

/** Keep open, record and stop: one action at a time per session, each with its spinner. */
export function SessionActions(props: ActionsProps) {
  const { session, pending } = props;
  const busy = pending !== undefined || session.phase === 'shutting_down';
  // A session that does not answer can only be asked to stop.
  const full = !session.unresponsive;
  return (
    <div className="actions">
      {full && <KeepOpenSwitch {...props} busy={busy} />}
      <div className="actions-buttons">
        {full && session.phase !== 'initializing' && <RecordButton {...props} busy={busy} />}
        <StopButton {...props} busy={busy} />
      </div>
    </div>
  );
}

function KeepOpenSwitch(props: ActionsProps & { busy: boolean }) {
  const { session, pending } = props;
  const setKeepOpen = useDashboard((state) => state.setKeepOpen);
  // While the request is out, show where the switch is going, not where it was.
  const on =
    pending?.kind === 'keep-open-on'
      ? true
      : pending?.kind === 'keep-open-off'
        ? false
        : session.keep_open;

  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      className="switch"
      disabled={props.busy}
      onClick={() => void setKeepOpen(session.name, !on)}
      title="Pause the idle timer while you watch this session"
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span>
        Keep open<span className="sr-only"> {session.name}</span>
      </span>
    </button>
  );
}

function RecordButton(props: ActionsProps & { busy: boolean }) {
  const { session, pending } = props;
  const startRecording = useDashboard((state) => state.startRecording);
  const stopRecording = useDashboard((state) => state.stopRecording);
  const recording = session.recording?.active === true;
  const working = pending?.kind === 'record-start' || pending?.kind === 'record-stop';

  return (
    <button
      type="button"
      className={`button ${recording ? 'button-recording' : ''}`}
      disabled={props.busy}
      aria-busy={working}
      onClick={() => void (recording ? stopRecording(session.name) : startRecording(session.name))}
    >
      {working ? <Spinner /> : recording ? <StopIcon /> : <RecordIcon className="icon-rec" />}
      <span>
        {recording ? 'Stop recording' : 'Record'}
        <span className="sr-only"> {session.name}</span>
      </span>
    </button>
  );
}

function StopButton(props: ActionsProps & { busy: boolean }) {
  const { session, pending } = props;
  const stopSession = useDashboard((state) => state.stopSession);
  const stopping = pending?.kind === 'stop' || session.phase === 'shutting_down';

  return (
    <button
      type="button"
      className="button button-danger"
      disabled={props.busy}
      aria-busy={stopping}
      onClick={() => void stopSession(session.name)}
    >
      {stopping ? <Spinner /> : <StopIcon />}
      <span>
        {stopping ? 'Stopping…' : 'Stop'}
        <span className="sr-only"> session {session.name}</span>
      </span>
    </button>
  );
}
