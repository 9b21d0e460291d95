import { deliverySettingsProblem } from '#core/alerts/delivery-policy.ts';
import { QuerySyntaxError } from '#core/errors.ts';
import type { DeliveryMode, DigestCadence, Watch } from '#core/model.ts';
import { validateQuery } from '#core/query/index.ts';

/** The watch form's fields as typed: strings, so a refused form comes back exactly as it was sent. */
export interface WatchForm {
  id: string;
  name: string;
  query: string;
  /** Feeds the watch is limited to; none means every feed. */
  feeds: string[];
  delivery: DeliveryMode;
  digest: DigestCadence;
  maxAlertsPerHour: string;
  quietStart: string;
  quietEnd: string;
  timeZone: string;
  enabled: boolean;
}

export type FormField = keyof WatchForm;
export type FormErrors = Partial<Record<FormField, string>>;

/** A submitted form's fields: one value per name, or several for the feeds' checkboxes. */
export type FormInput = Record<string, string | string[] | undefined>;

const DELIVERY_MODES: readonly DeliveryMode[] = ['immediate', 'digest', 'muted'];
const CADENCES: readonly DigestCadence[] = ['hourly', 'daily'];

export function blankForm(timeZone: string): WatchForm {
  return {
    id: '',
    name: '',
    query: '',
    feeds: [],
    delivery: 'immediate',
    digest: 'hourly',
    maxAlertsPerHour: '',
    quietStart: '',
    quietEnd: '',
    timeZone,
    enabled: true,
  };
}

export function formOf(watch: Watch, timeZone: string): WatchForm {
  return {
    id: watch.id,
    name: watch.name ?? '',
    query: watch.query,
    feeds: watch.feeds ?? [],
    delivery: watch.delivery ?? 'immediate',
    digest: watch.digest ?? 'hourly',
    maxAlertsPerHour: watch.maxAlertsPerHour === undefined ? '' : String(watch.maxAlertsPerHour),
    quietStart: watch.quietHours?.start ?? '',
    quietEnd: watch.quietHours?.end ?? '',
    timeZone: watch.quietHours?.timeZone ?? watch.timeZone ?? timeZone,
    enabled: watch.enabled !== false,
  };
}

/**
 * The form as submitted, over `base` (the blank form, or the watch being edited); `base` itself
 * when nothing was submitted (a form's first view).
 */
export function formFrom(input: FormInput, base: WatchForm): WatchForm {
  if (Object.keys(input).length === 0) return base;
  const text = (name: string, fallback: string) => {
    const value = input[name];
    return typeof value === 'string' ? value : fallback;
  };
  const feeds = input.feeds;
  const delivery = text('delivery', base.delivery);
  const digest = text('digest', base.digest);
  return {
    id: text('id', base.id).trim(),
    name: text('name', base.name).trim(),
    query: text('query', base.query),
    feeds: feeds === undefined ? [] : typeof feeds === 'string' ? [feeds] : feeds,
    delivery: DELIVERY_MODES.find((mode) => mode === delivery) ?? base.delivery,
    digest: CADENCES.find((cadence) => cadence === digest) ?? base.digest,
    maxAlertsPerHour: text('maxAlertsPerHour', base.maxAlertsPerHour).trim(),
    quietStart: text('quietStart', base.quietStart).trim(),
    quietEnd: text('quietEnd', base.quietEnd).trim(),
    timeZone: text('timeZone', base.timeZone).trim(),
    enabled: input.enabled !== undefined,
  };
}

/**
 * The watch a valid form describes, or what is wrong with each field, checked as `watch add`
 * checks them: a query that parses, a whole number of alerts an hour, quiet hours as a window
 * in a known time zone.
 */
export function watchFromForm(
  form: WatchForm,
  existing: Watch | undefined,
  now: Date,
): { watch: Watch } | { errors: FormErrors } {
  const errors: FormErrors = {};
  if (form.id === '') errors.id = 'Give the watch a short id, such as asset-seizure.';
  if (form.query.trim() === '') errors.query = 'Write what to look for, such as "asset seizure".';
  else {
    try {
      validateQuery(form.query);
    } catch (error) {
      if (!(error instanceof QuerySyntaxError)) throw error;
      errors.query = `Invalid query ${error.message}.`;
    }
  }
  let maxAlertsPerHour: number | undefined;
  if (form.maxAlertsPerHour !== '') {
    maxAlertsPerHour = Number(form.maxAlertsPerHour);
    if (!Number.isInteger(maxAlertsPerHour) || maxAlertsPerHour < 1)
      errors.maxAlertsPerHour = 'A whole number of at least 1, or empty for the default (10).';
  }
  if ((form.quietStart === '') !== (form.quietEnd === ''))
    errors.quietStart = 'Give both the start and the end of the quiet hours, or neither.';
  const quietHours =
    form.quietStart && form.quietEnd
      ? { start: form.quietStart, end: form.quietEnd, timeZone: form.timeZone }
      : undefined;
  const stamp = now.toISOString();
  const watch: Watch = {
    id: form.id,
    query: form.query,
    ...(form.name && { name: form.name }),
    enabled: form.enabled,
    ...(form.feeds.length > 0 && { feeds: form.feeds }),
    // The defaults stay unwritten, as `watch add` leaves them.
    ...(form.delivery !== 'immediate' && { delivery: form.delivery }),
    ...(form.digest !== 'hourly' && { digest: form.digest }),
    ...(maxAlertsPerHour !== undefined && { maxAlertsPerHour }),
    ...(quietHours && { quietHours }),
    timeZone: form.timeZone,
    createdAt: existing?.createdAt ?? stamp,
    updatedAt: stamp,
  };
  if (!errors.maxAlertsPerHour && !errors.quietStart) {
    const problem = deliverySettingsProblem(watch);
    if (problem) {
      const field: FormField = problem.includes('time zone') ? 'timeZone' : 'quietStart';
      errors[field] = `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { watch };
}
