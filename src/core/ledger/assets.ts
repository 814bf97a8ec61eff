import { AMOUNT_SCALE, VOLUME_SCALE } from '../decimal';
import { WATER_SOURCES, WaterSource } from '../water';
import { Asset, CASH, LedgerErrorCode } from './ledger.types';

export interface Instrument {
  regionCode: string;
  source: WaterSource;
  year: number;
}

/** The market id of an instrument: one region, one source, one year (API.md). */
export const instrumentId = (i: Instrument): Asset => `${i.regionCode}-${i.source}-${i.year}`;

const INSTRUMENT = new RegExp(`^(\\d{6})-(${WATER_SOURCES.join('|')})-(\\d{4})$`);

export function parseInstrument(asset: Asset): Instrument | null {
  const m = INSTRUMENT.exec(asset);
  return m ? { regionCode: m[1], source: m[2] as WaterSource, year: Number(m[3]) } : null;
}

export const isCash = (asset: Asset): boolean => asset === CASH;

/** Cash moves in fen, quota in litres. */
export const assetScale = (asset: Asset): number => (isCash(asset) ? AMOUNT_SCALE : VOLUME_SCALE);

export const shortfallCode = (asset: Asset): Extract<LedgerErrorCode, 'INSUFFICIENT_FUNDS' | 'INSUFFICIENT_QUOTA'> => (isCash(asset) ? 'INSUFFICIENT_FUNDS' : 'INSUFFICIENT_QUOTA');
