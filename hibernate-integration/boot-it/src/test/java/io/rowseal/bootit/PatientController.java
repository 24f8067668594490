package io.rowseal.bootit;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class PatientController {
  private final PatientRepository patients;

  PatientController(PatientRepository patients) {
    this.patients = patients;
  }

  @PostMapping("/patients")
  @ResponseStatus(HttpStatus.CREATED)
  Map<String, Object> create(@RequestBody Map<String, String> body) {
    Patient saved = patients.save(new Patient(body.get("name"), body.get("diagnosis")));
    return Map.of("id", saved.getId());
  }

  @GetMapping("/patients/{id}")
  Map<String, Object> read(@PathVariable("id") long id) {
    Patient p = patients.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    return Map.of("id", p.getId(), "name", p.getName(), "diagnosis", p.getDiagnosis());
  }
}
