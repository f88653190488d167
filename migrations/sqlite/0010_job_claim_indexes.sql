-- Claiming probes a tenant for due work (src/jobs/job_queue.cpp). One index over every state made
-- that a scan of the tenant's finished jobs, which grow without bound; these partial indexes hold
-- only what can be claimed, in the order it is claimed.
CREATE INDEX jobs_ready ON jobs (tenant_id, run_at, id) WHERE state IN ('queued', 'failed');
CREATE INDEX jobs_leased ON jobs (tenant_id, locked_until) WHERE state = 'running';
DROP INDEX jobs_due;
