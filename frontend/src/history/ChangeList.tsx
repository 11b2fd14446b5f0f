// The changes of the pair being compared, one line each as the server words them: the whole
// account (stages, lanes, the journey's own fields too), where the grid marks only the cards.
export function ChangeList({ summary, from }: { summary: string[]; from: number | null }) {
  return (
    <section className="history-section" aria-labelledby="changes-title">
      <h2 id="changes-title">Changes</h2>
      {from === null ? (
        <p className="muted">The journey as it was created.</p>
      ) : summary.length === 0 ? (
        <p className="muted">Nothing changed between these two.</p>
      ) : (
        <ul className="change-lines">
          {summary.map((line, i) => (
            <li key={`${i}-${line}`}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
