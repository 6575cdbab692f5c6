import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { sessionNameProblem } from '../../shared/session-name';
import { useDashboard } from '../store-context';
import { Spinner } from './icons';

/** Names a new session and starts it; closes on success, keeps the error in view otherwise. */
export function NewSessionForm(props: { onClose: () => void; suggestedName: string }) {
  const [name, setName] = useState(props.suggestedName);
  const [touched, setTouched] = useState(false);
  const creating = useDashboard((state) => state.creating);
  const createError = useDashboard((state) => state.createError);
  const newSession = useDashboard((state) => state.newSession);
  const clearCreateError = useDashboard((state) => state.clearCreateError);
  const input = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const inputId = useId();

  useEffect(() => {
    input.current?.select();
  }, []);

  const problem = touched ? sessionNameProblem(name) : undefined;
  const shownError = problem ?? createError;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (sessionNameProblem(name) !== undefined) return;
    if (await newSession(name)) props.onClose();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    clearCreateError();
    props.onClose();
  };

  return (
    <form className="new-session" onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown}>
      <label htmlFor={inputId}>Session name</label>
      <div className="new-session-row">
        <input
          id={inputId}
          ref={input}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setTouched(true);
            clearCreateError();
          }}
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          aria-invalid={shownError ? true : undefined}
          aria-describedby={shownError ? errorId : undefined}
          disabled={creating}
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={creating}
          aria-busy={creating}
        >
          {creating && <Spinner />}
          <span>{creating ? 'Starting…' : 'Start'}</span>
        </button>
        <button type="button" className="button" onClick={props.onClose} disabled={creating}>
          Cancel
        </button>
      </div>
      {shownError && (
        <p id={errorId} className="field-error" role="alert">
          {shownError}
        </p>
      )}
    </form>
  );
}
