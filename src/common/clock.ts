import { Injectable } from '@nestjs/common';

/** The exchange keeps China's civil calendar: "this year" and "today" are Beijing time. */
export const EXCHANGE_TIME_ZONE = 'Asia/Shanghai';

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: EXCHANGE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export const exchangeDate = (at: Date): string => dateFormat.format(at);

/** Time behind a small class so tests and jobs read one notion of "now". */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  today(): string {
    return exchangeDate(this.now());
  }

  currentYear(): number {
    return Number(this.today().slice(0, 4));
  }
}
