import { Injectable } from '@nestjs/common';
import { exchangeDate, exchangeYear } from '../core/calendar/exchange-calendar';

/** Time behind a small class so tests and jobs read one notion of "now"; the calendar's days and years are the exchange calendar's (Beijing). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  today(): string {
    return exchangeDate(this.now());
  }

  currentYear(): number {
    return exchangeYear(this.now());
  }
}
