/** What a session tells about its recording, in `status`, the state file and the dashboard. */
export interface RecordingStatus {
  active: boolean;
  path: string;
  framerate: number;
  /** Epoch seconds when the recording started. */
  started_at: number;
  elapsed_s: number;
  frames: number;
  size_bytes: number;
}

/** What `record stop` answers. */
export interface RecordingSummary {
  path: string;
  duration_s: number;
  frames: number;
  size_bytes: number;
}
