package bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BenchScgApplication {

	public static void main(String[] args) {
		SpringApplication.run(BenchScgApplication.class, args);
	}

}
