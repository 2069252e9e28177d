package io.cloudsentinel.jobs.handler;

/**
 * A handler whose work blocks a thread. It runs on the workers' bounded blocking pool; when the type's timeout fires
 * its thread is interrupted. One that ignores the interrupt is reported stuck and its slot given back; its thread
 * stays taken until it ends.
 */
public interface BlockingJobHandler extends JobTypeHandler {

    void run(JobRun run) throws Exception;
}
