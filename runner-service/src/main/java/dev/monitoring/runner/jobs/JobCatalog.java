package dev.monitoring.runner.jobs;

import dev.monitoring.model.LogText;
import dev.monitoring.runner.config.RunnerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The configured jobs, read once at start-up from {@code runner.jobs-file} or the class-path sample. */
@ApplicationScoped
public class JobCatalog {
    static final String CLASSPATH_SAMPLE = "jobs.yml";

    private volatile List<JobDefinition> jobs;

    public JobCatalog(RunnerConfig config) {
        this.jobs = load(config.jobsFile());
    }

    public List<JobDefinition> jobs() {
        return jobs;
    }

    public Optional<JobDefinition> find(String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    /** Swaps the whole catalog, e.g. after re-reading the file; runs already started keep their definitions. */
    public void replace(List<JobDefinition> newJobs) {
        this.jobs = List.copyOf(newJobs);
    }

    static List<JobDefinition> load(Optional<String> file) {
        if (file.isPresent()) {
            Path path = Path.of(file.get());
            try (InputStream in = Files.newInputStream(path)) {
                List<JobDefinition> jobs = JobFileParser.parse(in, path.toString());
                Log.infof("Loaded %d jobs from %s", jobs.size(), LogText.safe(path.toString()));
                return jobs;
            } catch (IOException e) {
                throw new JobFileException("cannot read job file " + path + ": " + e.getMessage(), e);
            }
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(CLASSPATH_SAMPLE)) {
            if (in == null) {
                throw new JobFileException("no JOBS_FILE given and no " + CLASSPATH_SAMPLE + " on the class path");
            }
            List<JobDefinition> jobs = JobFileParser.parse(in, "classpath:" + CLASSPATH_SAMPLE);
            Log.infof("Loaded %d jobs from the sample classpath:%s (set JOBS_FILE to use your own)", jobs.size(), CLASSPATH_SAMPLE);
            return jobs;
        } catch (IOException e) {
            throw new JobFileException("cannot read classpath:" + CLASSPATH_SAMPLE, e);
        }
    }
}
