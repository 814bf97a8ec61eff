import { formatAmount, formatPlain, formatPrice, formatVolume } from '../../core/decimal';
import type { SavingsProject } from '../../core/savings';
import { ProjectTotalsView, ProjectView, TermsView } from './project.dto';
import { ProjectRow, ReadingRow, StatementRow, TotalsRow } from './projects.rows';
import { ReadingView } from './reading.dto';
import { StatementView } from './statement.dto';

const orNull = <T>(value: T | null | undefined, format: (v: T) => string): string | null =>
  value === null || value === undefined ? null : format(value);

/** The calculators' view of a project: its figures as the decimal strings the core takes. */
export const savingsProject = (p: ProjectRow): SavingsProject => ({
  model: p.model,
  waterPrice: p.water_price,
  baseline: { method: p.baseline_method, volumePerPeriod: p.baseline_volume_per_period, intensity: p.baseline_intensity },
  terms: p.terms,
});

const termsView = (t: Record<string, string>): TermsView => ({
  serviceShare: orNull(t.serviceShare, formatPlain),
  guaranteedSaving: orNull(t.guaranteedSaving, formatPlain),
  shortfallPrice: orNull(t.shortfallPrice, formatPrice),
  excessServiceShare: orNull(t.excessServiceShare, formatPlain),
  hostingFeePerPeriod: orNull(t.hostingFeePerPeriod, formatAmount),
  investment: orNull(t.investment, formatAmount),
});

export const ZERO_TOTALS: TotalsRow = {
  saved_volume: '0',
  saved_value: '0',
  service_company_amount: '0',
  water_user_amount: '0',
  compensation: '0',
  certified_volume: '0',
};

const totalsView = (t: TotalsRow): ProjectTotalsView => ({
  savedVolume: formatVolume(t.saved_volume),
  savedValue: formatAmount(t.saved_value),
  serviceCompanyAmount: formatAmount(t.service_company_amount),
  waterUserAmount: formatAmount(t.water_user_amount),
  compensation: formatAmount(t.compensation),
  certifiedVolume: formatVolume(t.certified_volume),
});

export const projectView = (p: ProjectRow, totals: TotalsRow): ProjectView => ({
  id: p.id,
  name: p.name,
  model: p.model,
  serviceCompanyId: p.service_company_id,
  waterUserId: p.water_user_id,
  regionCode: p.region_code,
  source: p.source,
  startDate: p.start_day,
  endDate: p.end_day,
  waterPrice: formatPrice(p.water_price),
  baseline: {
    method: p.baseline_method,
    volumePerPeriod: orNull(p.baseline_volume_per_period, formatVolume),
    intensity: orNull(p.baseline_intensity, formatPlain),
  },
  terms: termsView(p.terms),
  status: p.status,
  createdBy: p.created_by,
  createdAt: new Date(p.created_at).toISOString(),
  totals: totalsView(totals),
});


export const readingView = (r: ReadingRow): ReadingView => ({
  id: r.id,
  projectId: r.project_id,
  periodStart: r.start_day,
  periodEnd: r.end_day,
  volume: formatVolume(r.volume),
  output: orNull(r.output, formatVolume),
  statementId: r.statement_id,
  supersedes: r.supersedes,
  supersededBy: r.superseded_by,
  recordedBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});


export const statementView = (s: StatementRow): StatementView => ({
  id: s.id,
  projectId: s.project_id,
  readingId: s.reading_id,
  periodStart: s.start_day,
  periodEnd: s.end_day,
  baselineVolume: formatVolume(s.baseline_volume),
  actualVolume: formatVolume(s.actual_volume),
  savedVolume: formatVolume(s.saved_volume),
  savedValue: formatAmount(s.saved_value),
  serviceCompanyAmount: formatAmount(s.service_company_amount),
  waterUserAmount: formatAmount(s.water_user_amount),
  shortfallVolume: formatVolume(s.shortfall_volume),
  compensation: formatAmount(s.compensation),
  status: s.status,
  confirmedBy: s.confirmed_by,
  certifiedVolume: orNull(s.certified_volume, formatVolume),
  certifiedYear: s.certified_year,
  certifiedBy: s.certified_by,
  certifiedAt: s.certified_at === null ? null : new Date(s.certified_at).toISOString(),
  superseded: s.superseded,
  createdAt: new Date(s.created_at).toISOString(),
});
