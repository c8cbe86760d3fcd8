import NIOCore

/// Runs a task's jobs on one NIO event loop: the loop of the connection it queries. Each
/// query's answer then resumes the task on the thread that read it, instead of hopping to
/// the global executor's threads and back for every statement.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
