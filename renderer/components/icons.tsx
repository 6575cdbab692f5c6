import type { ReactNode } from 'react';

/** Small stroke icons drawn in the current text colour; decorative, so hidden from readers. */
interface IconProps {
  className?: string;
}

function Svg(props: IconProps & { children: ReactNode; filled?: boolean }) {
  return (
    <svg
      className={`icon ${props.className ?? ''}`}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      fill={props.filled ? 'currentColor' : 'none'}
      stroke={props.filled ? 'none' : 'currentColor'}
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {props.children}
    </svg>
  );
}

export function StopIcon(props: IconProps) {
  return (
    <Svg {...props} filled>
      <rect x="4" y="4" width="8" height="8" rx="1.5" />
    </Svg>
  );
}

export function RecordIcon(props: IconProps) {
  return (
    <Svg {...props} filled>
      <circle cx="8" cy="8" r="4.5" />
    </Svg>
  );
}

export function PlusIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M8 3.5v9M3.5 8h9" />
    </Svg>
  );
}

export function ClockIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="5.75" />
      <path d="M8 5v3.2l2 1.3" />
    </Svg>
  );
}

export function PauseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M6 4.5v7M10 4.5v7" />
    </Svg>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M8 2.5 14 13H2L8 2.5Z" />
      <path d="M8 6.5v3M8 11.4v.1" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="m4.5 4.5 7 7M11.5 4.5l-7 7" />
    </Svg>
  );
}

export function GlobeIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="5.75" />
      <path d="M2.5 8h11" />
      <path d="M8 2.25c1.6 1.7 2.4 3.6 2.4 5.75S9.6 12.05 8 13.75" />
      <path d="M8 13.75C6.4 12.05 5.6 10.15 5.6 8S6.4 3.95 8 2.25" />
    </Svg>
  );
}

/** The brand mark: a browser window resting in a tray. */
export function LogoMark(props: IconProps) {
  return (
    <svg
      className={`logo ${props.className ?? ''}`}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="4" y="3" width="16" height="12" rx="2.5" className="logo-window" />
      <path d="M4 7h16" className="logo-bar" />
      <path
        d="M2.5 13.5v3.5a3 3 0 0 0 3 3h13a3 3 0 0 0 3-3v-3.5h-5.5a3.5 3.5 0 0 1-7 0Z"
        className="logo-tray"
      />
    </svg>
  );
}

/** A spinner for buttons whose action is under way. */
export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}
