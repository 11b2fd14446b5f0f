// A journey's refresh as the Data panel follows it: start, cancel, and the server's status read
// again every POLL_MS while it runs. When one ends well the evidence is announced as changed.
import { useCallback, useEffect, useRef, useState } from "react";
import { must } from "../api/client";
import { ApiError, messageOf } from "../api/problem";
import { useSession } from "../state/session";
import { announceEvidenceChanged } from "./evidenceEvents";
import { justFinished, type RefreshPublic } from "./rules";

const POLL_MS = 600;

export function useRefresh(journeyId: string) {
  const api = useSession((s) => s.api);
  const [job, setJob] = useState<RefreshPublic | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef<RefreshPublic | null>(null);
  const path = { params: { path: { journey_id: journeyId } } };

  const seen = useCallback(
    (now: RefreshPublic) => {
      if (justFinished(last.current, now)) announceEvidenceChanged(journeyId);
      last.current = now;
      setJob(now);
    },
    [journeyId],
  );

  const fetchJob = useCallback(
    () =>
      must(
        api.GET("/api/journeys/{journey_id}/refresh", {
          params: { path: { journey_id: journeyId } },
        }),
      ),
    [api, journeyId],
  );
  const failed = useCallback((failure: unknown) => {
    if (!(failure instanceof ApiError && failure.status === 404))
      setError(messageOf(failure));
  }, []);

  useEffect(() => {
    void fetchJob().then(seen, failed);
  }, [fetchJob, seen, failed]);

  useEffect(() => {
    if (job?.state !== "running") return;
    const timer = window.setTimeout(
      () => void fetchJob().then(seen, failed),
      POLL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [job, fetchJob, seen, failed]);

  const start = async () => {
    setError(null);
    try {
      seen(await must(api.POST("/api/journeys/{journey_id}/refresh", path)));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const cancel = async () => {
    setError(null);
    try {
      seen(await must(api.DELETE("/api/journeys/{journey_id}/refresh", path)));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return { job, error, start, cancel };
}
