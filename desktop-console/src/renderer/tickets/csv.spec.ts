import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';

describe('CSV export', () => {
  it('quotes separators, quotes and line breaks', () => {
    expect(toCsv(['Référence', 'Description'], [['SOA-1', 'Nid de poule, "énorme"\nprès du marché'], ['SOA-2', null]])).toBe(
      'Référence,Description\r\nSOA-1,"Nid de poule, ""énorme""\nprès du marché"\r\nSOA-2,\r\n',
    );
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+237 6 99')).toBe("'+237 6 99");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('true');
  });
});
