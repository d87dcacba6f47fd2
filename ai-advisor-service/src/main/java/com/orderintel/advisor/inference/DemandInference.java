package com.orderintel.advisor.inference;

import com.orderintel.advisor.forecast.ForecastRequest;
import com.orderintel.advisor.forecast.ForecastResponse;
import com.orderintel.advisor.forecast.ForecastService;
import com.orderintel.advisor.inference.OipPayloads.ResponseOutput;
import com.orderintel.advisor.inference.OipPayloads.TensorMetadata;
import com.orderintel.advisor.model.ModelSlot;
import com.orderintel.forecast.ForecastExplanation;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static com.orderintel.advisor.inference.InferenceAdapter.tensor;

/** demand-forecast over OIP: date and product_id as BYTES, the numbers as FP64/INT32; same rules as REST. */
@Component
class DemandInference extends TaskInference<ForecastRequest, ForecastResponse> {

    private static final List<TensorMetadata> INPUTS = List.of(tensor("date", "BYTES"),
            tensor("product_id", "BYTES"), tensor("avg_basket_value", "FP64"), tensor("promo_flag", "INT32"));
    private static final List<TensorMetadata> OUTPUTS = List.of(tensor("predicted_demand", "FP64"),
            tensor("prediction_id", "BYTES"));
    private static final Set<String> NAMES = Set.of("date", "product_id", "avg_basket_value", "promo_flag");

    DemandInference(ForecastService service) {
        super(service, ForecastResponse::model, ModelSlot.DEMAND, INPUTS, OUTPUTS, NAMES,
                "contribution_base and contribution_<feature> (FP64) for each of the served model's features "
                        + "(OLS: its 5, the tree models: 11); base + contributions = predicted_demand");
    }

    @Override
    List<ForecastRequest> requests(Tensors t) {
        String[] dates = t.strings("date");
        String[] products = t.strings("product_id");
        double[] basket = t.numbers("avg_basket_value");
        double[] promo = t.numbers("promo_flag");
        List<ForecastRequest> items = new ArrayList<>(t.rows());
        for (int i = 0; i < t.rows(); i++) {
            LocalDate date;
            try {
                date = LocalDate.parse(dates[i]);
            } catch (DateTimeParseException e) {
                // not echoed: the element may be long or hold control characters
                throw OipException.badRequest("input 'date' element " + i + " is not an ISO date (yyyy-MM-dd)");
            }
            items.add(new ForecastRequest(date, products[i], basket[i], promo[i]));
        }
        return items;
    }

    @Override
    List<ResponseOutput> outputs(List<ForecastResponse> results) {
        double[] demand = new double[results.size()];
        List<String> ids = new ArrayList<>(results.size());
        for (int i = 0; i < demand.length; i++) {
            demand[i] = results.get(i).predictedDemand();
            ids.add(results.get(i).predictionId());
        }
        return List.of(Tensors.output("predicted_demand", "FP64", demand.length, demand),
                Tensors.output("prediction_id", "BYTES", demand.length, ids));
    }

    /** contribution_base, then one FP64 tensor per model feature in the model's order (one model scored all rows). */
    @Override
    List<ResponseOutput> explanations(List<ForecastResponse> results) {
        int n = results.size();
        List<ResponseOutput> out = new ArrayList<>();
        double[] base = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = results.get(i).explanation().base();
        }
        out.add(Tensors.output("contribution_base", "FP64", n, base));
        List<ForecastExplanation.Contribution> first = results.getFirst().explanation().contributions();
        for (int k = 0; k < first.size(); k++) {
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = results.get(i).explanation().contributions().get(k).contribution();
            }
            out.add(Tensors.output("contribution_" + first.get(k).feature(), "FP64", n, c));
        }
        return out;
    }
}
