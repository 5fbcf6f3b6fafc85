// The one place of time in core: the Clock, backoff schedules and the poll loop.
export { type Clock, systemClock } from '../http/clock';
export { type BackoffOptions, type BackoffSchedule, backoffSchedule } from './backoff';
export { type PollOptions, type PollVerdict, pollUntil } from './poll';
