import type { DiagnosisReport } from '../../contract/diagnosis.js';
import type { Db } from './database.js';

/** The last diagnosis report of each cluster. */
export class DiagnosisReportStore {
  constructor(private readonly db: Db) {}

  save(cluster: string, report: DiagnosisReport): void {
    this.db
      .prepare(
        'INSERT INTO diagnosis_reports (cluster, report, generated_at) VALUES (?, ?, ?) ON CONFLICT(cluster) DO UPDATE SET report = excluded.report, generated_at = excluded.generated_at',
      )
      .run(cluster, JSON.stringify(report), report.generatedAt);
  }

  last(cluster: string): DiagnosisReport | null {
    const row = this.db.prepare('SELECT report FROM diagnosis_reports WHERE cluster = ?').get(cluster) as { report: string } | undefined;
    return row ? (JSON.parse(row.report) as DiagnosisReport) : null;
  }
}
