package dev.plaidsync.operations;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the console page at {@code /ops/}; its assets are static resources under
 * {@code static/ops/}.
 */
@Controller
class OpsConsoleController {

	@GetMapping("/ops")
	String withSlash() {
		return "redirect:/ops/";
	}

	@GetMapping("/ops/")
	String console() {
		return "forward:/ops/index.html";
	}

}
